"""The audit rule: which requests are on the record, what they target, how the slot is kept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

import shared.audit as audit

ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


@pytest.mark.parametrize(
    ("method", "path", "role", "expected"),
    [
        ("POST", "/api/v1/customers", "admin", True),
        ("PATCH", f"/api/v1/customers/{ID}", "manager", True),
        ("DELETE", f"/api/v1/webhooks/{ID}", "admin", True),
        ("put", "/api/v1/customers/x/calendar", "manager", True),
        ("POST", "/api/v1/tickets", "agent", False),
        ("POST", "/api/v1/tickets", "customer", False),
        ("POST", "/api/v1/intake/email", "system", False),
        ("GET", "/api/v1/customers", "admin", False),
        ("HEAD", "/api/v1/customers", "admin", False),
        ("OPTIONS", "/api/v1/customers", "manager", False),
        ("POST", "/api/v1/api-keys", "agent", True),  # key management by any key
        ("GET", "/api/v1/api-keys", "admin", False),
    ],
)
def test_who_and_what_is_on_the_record(method: str, path: str, role: str, expected: bool) -> None:
    assert audit.audited(method, path, role) is expected


def test_the_target_is_the_last_id_of_the_path() -> None:
    other = str(uuid.uuid4())

    assert audit.path_target(f"/api/v1/customers/{ID}/contacts/{other}") == other
    assert audit.path_target("/api/v1/customers") is None


@pytest.mark.parametrize("name", ["ops lead", "Анна (ops)", "a%b/c:d", "emoji 🚀"])
def test_key_names_survive_the_header(name: str) -> None:
    encoded = audit.encode_name(name)

    encoded.encode("ascii")  # a header value
    assert audit.decode_name(encoded) == name


@pytest.mark.asyncio(loop_scope="session")
async def test_the_scope_gives_each_request_a_fresh_slot_and_closes_it() -> None:
    context = audit.AuditContext("k", "n", "admin", "POST", "/api/v1/x", "r")
    seen: list[Any] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(audit.current())
        audit.begin(context)
        seen.append(audit.current())

    scoped = audit.AuditScope(app)
    await scoped({"type": "http"}, None, None)
    await scoped({"type": "http"}, None, None)

    assert seen == [None, context, None, context]
    assert audit.current() is None  # nothing leaks to the caller's task


def test_note_target_names_the_current_requests_target() -> None:
    context = audit.AuditContext("k", "n", "admin", "POST", "/api/v1/api-keys", "r")
    audit.begin(context)
    try:
        audit.note_target(uuid.UUID(ID))
    finally:
        audit.begin(None)

    assert context.target_id == ID
    audit.note_target("ignored")  # no audited request: nothing to name


def test_filters_become_sql_conditions_and_query_parameters() -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    where = audit.AuditFilter(
        role="admin", path_prefix="/api/v1/customers", since=since, cursor=uuid.UUID(ID), limit=5
    )

    sql, params = audit.select_sql("intake", where)

    assert 'FROM "intake".audit_log' in sql
    assert "role = :role" in sql
    assert "starts_with(path, :path_prefix)" in sql
    assert "id < :cursor" in sql
    assert sql.endswith("ORDER BY id DESC LIMIT :limit")
    assert params["limit"] == 6  # one more: tells whether a next page exists
    assert where.params() == {
        "role": "admin",
        "path_prefix": "/api/v1/customers",
        "since": since.isoformat(),
        "cursor": ID,
        "limit": "5",
    }
