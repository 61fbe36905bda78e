"""The audit entry commits with its change or not at all (real PostgreSQL).

A unit of work on a throwaway schema with a ``thing`` table and the ``audit_log``
of ``shared.audit``; the audit context is set as the role-check dependency sets it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import shared.audit as audit
from shared.db import UnitOfWork, sessionmaker
from shared.events.base import Envelope
from shared.events.contracts import CustomerChanged

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    name = f"audit_{uuid.uuid4().hex[:8]}"
    from shared.db import messaging_tables_ddl

    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        await conn.execute(text(f'CREATE TABLE "{name}".thing (id uuid PRIMARY KEY)'))
        for statement in [*messaging_tables_ddl(name), *audit.audit_table_ddl(name)]:
            await conn.execute(text(statement))
    yield name
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


@pytest.fixture
def sessions(engine: AsyncEngine, schema: str) -> async_sessionmaker[AsyncSession]:
    return sessionmaker(engine, audit_schema=schema)


def _as_admin(path: str = "/api/v1/things", method: str = "POST") -> audit.AuditContext:
    context = audit.AuditContext(
        key_id=str(uuid.uuid4()),
        key_name="ops lead",
        role="admin",
        method=method,
        path=path,
        request_id=f"req-{uuid.uuid4().hex[:8]}",
    )
    audit.begin(context)
    return context


async def _entries(engine: AsyncEngine, schema: str, request_id: str) -> list[dict[str, object]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(f'SELECT * FROM "{schema}".audit_log WHERE request_id = :r'), {"r": request_id}
        )
        return [dict(r) for r in rows.mappings()]


async def _things(engine: AsyncEngine, schema: str, thing: uuid.UUID) -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text(f'SELECT count(*) FROM "{schema}".thing WHERE id = :id'), {"id": thing}
        )
        return int(found or 0)


async def _insert(uow: UnitOfWork, schema: str, thing: uuid.UUID) -> None:
    await uow.session.execute(text(f'INSERT INTO "{schema}".thing VALUES (:id)'), {"id": thing})


@pytest.fixture(autouse=True)
def _no_context_after() -> object:
    yield None
    audit.begin(None)


async def test_a_committed_change_has_one_entry_naming_who_and_what(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, schema: str
) -> None:
    thing = uuid.uuid4()
    context = _as_admin(f"/api/v1/things/{thing}", "PATCH")

    async with UnitOfWork(sessions, schema=schema, source="test") as uow:
        await _insert(uow, schema, thing)
        await uow.commit()

    [entry] = await _entries(engine, schema, str(context.request_id))
    assert (entry["key_name"], entry["role"], entry["method"]) == ("ops lead", "admin", "PATCH")
    assert (entry["path"], entry["target_id"]) == (f"/api/v1/things/{thing}", str(thing))
    assert str(entry["key_id"]) == context.key_id
    assert context.entries == 1


async def test_a_create_is_targeted_by_its_first_event(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, schema: str
) -> None:
    context = _as_admin()
    customer = uuid.uuid4()
    data = CustomerChanged(customer_id=customer, change="created", customer={"name": "A"})

    async with UnitOfWork(sessions, schema=schema, source="test") as uow:
        await uow.outbox.add(
            Envelope.wrap(data, source="test", subject=str(customer)),
            topic=data.TOPIC,
            key=str(customer),
        )
        await uow.commit()

    [entry] = await _entries(engine, schema, str(context.request_id))
    assert entry["target_id"] == str(customer)


async def test_a_rolled_back_change_leaves_no_entry(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, schema: str
) -> None:
    context = _as_admin()
    thing = uuid.uuid4()

    async with UnitOfWork(sessions, schema=schema, source="test") as uow:
        await _insert(uow, schema, thing)  # never committed: the refusal raised first

    assert await _entries(engine, schema, str(context.request_id)) == []
    assert await _things(engine, schema, thing) == 0


async def test_a_commit_that_changed_nothing_leaves_no_entry(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, schema: str
) -> None:
    context = _as_admin()

    async with UnitOfWork(sessions, schema=schema, source="test") as uow:
        await uow.session.execute(text(f'SELECT count(*) FROM "{schema}".thing'))
        await uow.commit()

    assert await _entries(engine, schema, str(context.request_id)) == []
    assert context.entries == 0


async def test_unaudited_requests_and_background_work_leave_no_entry(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, schema: str
) -> None:
    audit.begin(None)  # an agent's request: the dependency found it unaudited
    thing = uuid.uuid4()

    async with UnitOfWork(sessions, schema=schema, source="test") as uow:
        await _insert(uow, schema, thing)
        await uow.commit()

    async with engine.connect() as conn:
        count = await conn.scalar(text(f'SELECT count(*) FROM "{schema}".audit_log'))
    assert await _things(engine, schema, thing) == 1
    assert count == 0


async def test_sessions_without_an_audit_schema_write_no_entry(
    engine: AsyncEngine, schema: str
) -> None:
    context = _as_admin()

    async with UnitOfWork(sessionmaker(engine), schema=schema, source="test") as uow:
        await _insert(uow, schema, uuid.uuid4())
        await uow.commit()

    assert await _entries(engine, schema, str(context.request_id)) == []


async def test_a_connection_killed_before_commit_loses_change_and_entry_together(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine, schema: str
) -> None:
    context = _as_admin()
    thing = uuid.uuid4()

    async with UnitOfWork(sessions, schema=schema, source="test") as uow:
        await _insert(uow, schema, thing)
        async with engine.connect() as killer:
            await killer.execute(
                text("SELECT pg_terminate_backend(:pid)"),
                {"pid": await uow.session.scalar(text("SELECT pg_backend_pid()"))},
            )
        with pytest.raises(DBAPIError):
            await uow.commit()

    assert await _entries(engine, schema, str(context.request_id)) == []
    assert await _things(engine, schema, thing) == 0
