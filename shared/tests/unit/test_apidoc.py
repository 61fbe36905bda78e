"""What ``shared.web.apidoc`` writes into an app's document, on a small app of its own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field

from shared.auth import Principal, Role, require
from shared.web.apidoc import describe_operations, example_of, operation_id

Agent = Annotated[Principal, Depends(require(Role.agent))]


class Widget(BaseModel):
    name: str = Field(min_length=3)
    size: int = Field(ge=5)
    email: str
    note: str | None = None


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/widgets/{widget_id}/parts", status_code=201)
    async def add_part(widget_id: str, body: Widget, _: Agent) -> dict[str, Any]:
        """Add a part to a widget; long explanation follows here for the description."""
        return {}

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {}

    describe_operations(app)
    return app


def test_names_come_from_the_path_and_the_method() -> None:
    assert operation_id("GET", "/api/v1/tickets") == "tickets.list"
    assert operation_id("GET", "/api/v1/tickets/{ticket_id}") == "tickets.get"
    assert operation_id("POST", "/api/v1/kb/articles") == "kb.articles.create"
    assert operation_id("PUT", "/api/v1/a-b/{id}/c-d/{x}") == "a_b.c_d.replace"
    assert operation_id("POST", "/api/v1/tickets/{ticket_id}/transitions") == "tickets.transition"
    assert operation_id("GET", "/health/ready") == "health.ready"


def test_an_operation_gets_its_id_summary_problems_and_example() -> None:
    doc = _app().openapi()
    op = doc["paths"]["/api/v1/widgets/{widget_id}/parts"]["post"]
    assert op["operationId"] == "widgets.parts.create"
    assert op["summary"] == "Add a part to a widget"
    assert set(op["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
        "429",
        "503",
    }
    assert "application/problem+json" in op["responses"]["403"]["content"]
    example = op["requestBody"]["content"]["application/json"]["example"]
    Widget.model_validate(example)  # the example is a valid body
    assert "note" not in example  # only what is required
    public = doc["paths"]["/health/live"]["get"]
    assert public["operationId"] == "health.live"
    assert set(public["responses"]) == {"200"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert "Problem" in doc["components"]["schemas"]


def test_a_built_example_respects_bounds_formats_and_enums() -> None:
    schema = {
        "type": "object",
        "required": ["n", "day", "kind", "tags"],
        "properties": {
            "n": {"type": "integer", "minimum": 7},
            "day": {"type": "string", "format": "date"},
            "kind": {"enum": ["b", "a"]},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        },
    }
    assert example_of(schema, {}) == {
        "n": 7,
        "day": "2027-12-31",
        "kind": "b",
        "tags": ["text", "text"],
    }
