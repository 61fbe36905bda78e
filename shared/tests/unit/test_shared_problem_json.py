"""Every error is RFC 9457 problem+json that says what to fix."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from starlette.requests import ClientDisconnect

from shared.errors import Conflict
from shared.web.problems import install_problem_handlers

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        if body.count > 3:
            raise Conflict("Too many things; ask for at most 3.", slug="too-many", limit=3)
        return {"count": body.count}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.post("/cut")
    async def cut() -> None:
        raise ClientDisconnect()  # what reading the body raises when the server shuts down

    return app


async def _call(method: str, path: str, **kw: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kw)  # type: ignore[arg-type]


class TestProblemJson:
    async def test_an_interrupted_body_is_a_503_to_retry_never_a_500(self) -> None:
        r = await _call("POST", "/cut", content=b"{}")

        assert r.status_code == 503
        assert r.headers["retry-after"] == "1"
        assert r.json()["type"] == "/problems/request-interrupted"

    async def test_domain_error_carries_slug_detail_and_extensions(self) -> None:
        r = await _call("POST", "/things", json={"count": 5})

        assert r.status_code == 409
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json() == {
            "type": "/problems/too-many",
            "title": "Conflict",
            "status": 409,
            "detail": "Too many things; ask for at most 3.",
            "instance": "/things",
            "limit": 3,
        }

    async def test_validation_error_names_each_field(self) -> None:
        r = await _call("POST", "/things", json={"count": "many", "extra": 1})

        assert r.status_code == 422
        assert {e["field"] for e in r.json()["errors"]} == {"body.count", "body.extra"}
        assert "body.count" in r.json()["detail"]

    async def test_broken_json_says_so(self) -> None:
        r = await _call(
            "POST", "/things", content=b"{nope", headers={"content-type": "application/json"}
        )

        assert r.status_code == 422
        assert "not valid JSON" in r.json()["detail"]

    async def test_unknown_route_and_method_are_problems(self) -> None:
        missing = await _call("GET", "/nothing")
        wrong = await _call("DELETE", "/things")

        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert wrong.status_code == 405
        assert "DELETE is not allowed" in wrong.json()["detail"]

    async def test_a_bug_is_a_500_problem_without_internals(self) -> None:
        r = await _call("GET", "/boom")

        assert r.status_code == 500
        assert r.headers["content-type"] == "application/problem+json"
        assert "secret" not in r.text


async def test_a_value_the_database_cannot_store_is_a_422() -> None:
    from sqlalchemy.exc import DataError

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/nul")
    async def nul() -> None:
        raise DataError("INSERT ...", {}, Exception("invalid byte sequence 0x00"))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/nul")

    assert r.status_code == 422
    assert r.json()["type"] == "/problems/value-out-of-range"


async def test_a_driver_data_exception_sqlalchemy_did_not_map_is_a_422() -> None:
    """asyncpg's NUL-byte error (SQLSTATE 22021) reaches us as a bare DBAPIError."""
    from sqlalchemy.exc import DBAPIError

    class CharacterNotInRepertoire(Exception):
        sqlstate = "22021"

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/nul")
    async def nul() -> None:
        raise DBAPIError("INSERT ...", {}, CharacterNotInRepertoire("0x00"))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/nul")

    assert r.status_code == 422
    assert r.json()["type"] == "/problems/value-out-of-range"
