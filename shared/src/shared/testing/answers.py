"""Checks of the gateway's answers that many end-to-end tests share."""

from __future__ import annotations

from typing import Any

import httpx


def ok(r: httpx.Response) -> dict[str, Any]:
    """The JSON body of a 200 or 201 answer (the test fails with the body otherwise)."""
    assert r.status_code in (200, 201), r.text
    body: dict[str, Any] = r.json()
    return body


def refused(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    """The problem+json body of a refusal with ``status`` and a type ending in ``slug``."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["type"].endswith(slug), body
    return body
