"""The merged API document: every operation usable by a client generator, and committed fresh.

Built in-process from every app (``deskstack.apidoc``), as ``make openapi`` builds it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from deskstack import apiclient, apidoc
from deskstack.services import SERVICES
from shared.web.apidoc import OPERATION_ID, operation_id

METHODS = {"get", "put", "post", "patch", "delete"}


@cache
def _document() -> dict[str, Any]:
    return apidoc.build()


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in _document()["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


@cache
def _apps() -> list[FastAPI]:
    import importlib

    return [importlib.import_module(f"{s.module}.app").create_app() for s in SERVICES]


def test_every_operation_has_a_readable_unique_id_and_a_summary() -> None:
    ids = Counter(op.get("operationId") for _, _, op in _operations())
    assert not [i for i, n in ids.items() if n > 1], "operationIds must be unique"
    for method, path, op in _operations():
        assert OPERATION_ID.match(op.get("operationId", "")), (method, path, op.get("operationId"))
        assert op.get("summary", "").strip(), (method, path)


def test_names_follow_the_scheme() -> None:
    by_route = {(m, p): op["operationId"] for m, p, op in _operations()}
    assert by_route["POST", "/api/v1/tickets"] == "tickets.create"
    assert by_route["POST", "/api/v1/tickets/{ticket_id}/transitions"] == "tickets.transition"
    assert by_route["GET", "/api/v1/customers/{customer_id}/contracts"] == (
        "customers.contracts.list"
    )
    assert by_route["GET", "/api/v1/customers/{customer_id}"] == "customers.get"
    # A route no one named: derived from its path and method.
    assert operation_id("PATCH", "/api/v1/tickets/{ticket_id}/attachments/{id}") == (
        "tickets.attachments.update"
    )
    assert operation_id("DELETE", "/api/v1/web-accounts/{id}") == "web_accounts.delete"


def test_every_request_body_has_an_example() -> None:
    for method, path, op in _operations():
        for media, content in op.get("requestBody", {}).get("content", {}).items():
            assert "example" in content or "examples" in content, (method, path, media)


def test_examples_are_valid_requests() -> None:
    """Each example passes the route's own body validation (a generator's user copies them)."""
    bodies = {(m, p): op for m, p, op in _operations() if "requestBody" in op}
    checked, invalid = 0, []
    for app in _apps():
        for context in iter_route_contexts(app.routes):
            route: Any = context
            if not isinstance(context.original_route, APIRoute) or route.body_field is None:
                continue
            for method in route.methods:
                op = bodies.get((method, route.path_format))
                if op is None:
                    continue
                json_body = op["requestBody"]["content"].get("application/json")
                if json_body is None:
                    continue  # a multipart upload: its parts are files, not an example
                example = json_body["example"]
                _, errors = route.body_field.validate(json.loads(json.dumps(example)))
                if errors:
                    invalid.append((method, route.path_format, example, errors))
                checked += 1
    assert not invalid, "\n".join(map(repr, invalid))
    assert checked >= 30


def test_authenticated_routes_declare_their_problems() -> None:
    for method, path, op in _operations():
        responses = op["responses"]
        if op.get("security") == []:
            continue  # public: health and the event catalogue
        for status in ("401", "403"):
            assert status in responses, (method, path, status)
            assert "application/problem+json" in responses[status]["content"], (method, path)
        if path.startswith("/api/v1/"):
            assert "429" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in op:
            assert {"413", "422"} <= set(responses), (method, path)
    schemas = _document()["components"]["schemas"]
    assert "Problem" in schemas
    assert not [n for n in schemas if n.endswith("HTTPValidationError")], "422 is a Problem"


def test_nothing_is_unrouted_or_missing() -> None:
    doc = _document()
    assert "x-unrouted-paths" not in doc
    assert "x-missing-services" not in doc


@pytest.mark.timeout(120)
def test_the_committed_document_is_fresh() -> None:
    committed = apidoc.DOCUMENT.read_text(encoding="utf-8")
    assert committed == apidoc.render(_document()), (
        "docs/openapi.json is stale: run `make openapi` (and `make client`) and commit both"
    )


@pytest.mark.timeout(300)
def test_the_committed_client_is_fresh(tmp_path: Path) -> None:
    """``clients/python`` regenerated from the committed document is what is committed."""
    fresh = apiclient.generate(tmp_path)
    stale = apiclient.differences(fresh, apiclient.CLIENT / apiclient.PACKAGE)
    assert not stale, f"clients/python is stale, run `make client`: {stale[:10]}"
