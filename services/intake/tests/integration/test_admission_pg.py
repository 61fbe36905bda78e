"""Admission on asyncpg's own connection (``adapters.admission_pg``) against real PostgreSQL.

The use case's rules are the unit tests'; these check that the lean unit of work keeps
``IntakeUnitOfWork``'s guarantees: a ticket and its events commit together or not at
all, the open-ticket limit and the Idempotency-Key hold, an audited request leaves its
entry, and the connection goes back to the pool with no transaction open.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.admission_pg import PgAdmissionUnitOfWork
from intake.adapters.entitlement import Entitlement
from intake.config import SCHEMA
from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.usecases.admission import Admitted, admit_in_tx
from shared import audit
from shared.errors import Conflict, Unprocessable
from shared.events.vocabulary import Tier

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
CONFIG = IntakeConfig(kb_suggestions=3)
PRIORITY = {Tier.premium: 1, Tier.standard: 4, Tier.basic: 5}


def terms(tier: Tier, *, limit: int | None = None) -> Entitlement:
    return Entitlement(
        customer_id=uuid.uuid4(),
        contact_id=uuid.uuid4(),
        tier=tier,
        max_open_tickets=limit,
        features={},
        priority=PRIORITY[tier],
    )


def request(subject: str = "Posting fails", **over: Any) -> OpenTicket:
    return OpenTicket(contact_email="ann@example.com", subject=subject, **over)


class Wakes:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


async def admit(
    engine: AsyncEngine, cmd: OpenTicket, on: Entitlement, wakes: Wakes | None = None
) -> Admitted:
    uow = PgAdmissionUnitOfWork(engine, schema=SCHEMA, source="intake", on_commit=wakes)
    async with uow:
        admitted = await admit_in_tx(uow, cmd, terms=on, config=CONFIG, now=NOW)
        if admitted.created:
            await uow.commit()
    assert not uow.conn.is_in_transaction()  # back in the pool as it was taken
    return admitted


async def rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


async def events_of(engine: AsyncEngine, ticket_id: uuid.UUID) -> list[tuple[str, int]]:
    found = await rows(
        engine,
        f"SELECT event_type, payload FROM {SCHEMA}.outbox WHERE key = :k ORDER BY seq",
        k=str(ticket_id),
    )
    out = []
    for event_type, payload in found:
        body = payload if isinstance(payload, dict) else json.loads(payload)
        out.append((event_type, body["sequence"]))
    return out


async def test_a_ticket_and_its_event_commit_together(mail_engine: AsyncEngine) -> None:
    wakes = Wakes()

    admitted = await admit(mail_engine, request(), terms(Tier.premium), wakes)

    [(number, version)] = await rows(
        mail_engine,
        f"SELECT registration_number, version FROM {SCHEMA}.ticket WHERE id = :i",
        i=admitted.ticket.id,
    )
    assert (number, version) == (admitted.ticket.registration_number, 1)
    assert await events_of(mail_engine, admitted.ticket.id) == [("ticket.created", 1)]
    assert wakes.count == 1


async def test_nothing_is_written_without_the_commit(mail_engine: AsyncEngine) -> None:
    on = terms(Tier.standard, limit=5)
    uow = PgAdmissionUnitOfWork(mail_engine, schema=SCHEMA, source="intake")
    async with uow:
        admitted = await admit_in_tx(uow, request(), terms=on, config=CONFIG, now=NOW)
        # no commit: the request failed after admitting

    found = f"SELECT 1 FROM {SCHEMA}.ticket WHERE id = :i"
    assert await rows(mail_engine, found, i=admitted.ticket.id) == []
    assert await events_of(mail_engine, admitted.ticket.id) == []
    assert not uow.conn.is_in_transaction()  # the customer's lock went with the rollback


async def test_a_basic_ticket_gets_the_knowledge_base_note_after_its_creation(
    mail_engine: AsyncEngine,
) -> None:
    async with mail_engine.begin() as conn:
        await conn.execute(
            text(
                f"INSERT INTO {SCHEMA}.kb_article (id, kind, title, body) "
                "VALUES (:i, 'howto', 'Zebrafish invoices', 'zebrafish')"
            ),
            {"i": uuid.uuid4()},
        )

    admitted = await admit(mail_engine, request("Zebrafish invoices fail"), terms(Tier.basic))

    assert [a.title for a in admitted.articles] == ["Zebrafish invoices"]
    [(body,)] = await rows(
        mail_engine, f"SELECT body FROM {SCHEMA}.comment WHERE ticket_id = :i", i=admitted.ticket.id
    )
    assert "Zebrafish invoices" in body
    assert await events_of(mail_engine, admitted.ticket.id) == [
        ("ticket.created", 1),
        ("ticket.commented", 2),
    ]


async def test_the_open_ticket_limit_holds(mail_engine: AsyncEngine) -> None:
    on = terms(Tier.standard, limit=1)
    first = await admit(mail_engine, request(), on)

    with pytest.raises(Conflict) as refused:
        await admit(mail_engine, request(), on)

    assert refused.value.extensions["open_tickets"] == [str(first.ticket.id)]


async def test_a_repeated_key_replays_its_ticket_and_a_reused_one_is_refused(
    mail_engine: AsyncEngine,
) -> None:
    on = terms(Tier.premium)
    cmd = request(idempotency_key="k-1", fingerprint="f-1")
    first = await admit(mail_engine, cmd, on)

    again = await admit(mail_engine, cmd, on)
    with pytest.raises(Unprocessable):
        await admit(mail_engine, request(idempotency_key="k-1", fingerprint="f-2"), on)

    assert (first.created, again.created, again.ticket.id) == (True, False, first.ticket.id)
    assert again.ticket.registration_number == first.ticket.registration_number


async def test_an_audited_request_leaves_its_entry_with_the_ticket(
    mail_engine: AsyncEngine,
) -> None:
    context = audit.AuditContext(
        key_id=str(uuid.uuid4()),
        key_name="admin",
        role="admin",
        method="POST",
        path="/api/v1/tickets",
        request_id="r-1",
    )
    audit.begin(context)
    try:
        admitted = await admit(mail_engine, request(), terms(Tier.premium))
    finally:
        audit.begin(None)

    assert await rows(
        mail_engine,
        f"SELECT target_id FROM {SCHEMA}.audit_log WHERE request_id = 'r-1'",
    ) == [(str(admitted.ticket.id),)]
    assert context.entries == 1
