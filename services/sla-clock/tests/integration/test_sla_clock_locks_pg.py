"""The ticket's lock, taken by the consumer's inbox claim: one statement fewer per event,
and still every change to a ticket's clocks in turn, each reading the one before it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from shared.events.base import Envelope
from shared.events.tickets import TicketStatusChanged
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import TimerChange
from sla_clock.handlers import fact_from, ticket_event
from sla_clock.service import apply_ticket_event

from .conftest import Desk, wrap

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

T0 = datetime(2031, 6, 1, 3, 0, tzinfo=UTC)


async def _lock_free(desk: Desk, key: str) -> bool:
    """Whether another transaction could take the advisory lock ``key`` now."""
    async with desk.engine.begin() as conn:
        taken = await conn.scalar(
            text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key}
        )
    return bool(taken)


async def _claim(uow: SlaUnitOfWork, event_id: uuid.UUID, ticket_id: uuid.UUID) -> None:
    locks = uow.claim_locks([str(ticket_id)])
    assert await uow.inbox.claim(event_id, handler="t.locks", locks=locks)


async def _answers(desk: Desk, ticket_id: uuid.UUID) -> int:
    return len(await desk.events(ticket_id))


def _moved(ticket_id: uuid.UUID, frm: str, to: str, minutes: int) -> Envelope:
    moved = TicketStatusChanged(
        ticket_id=ticket_id,
        status=to,
        occurred_at=T0 + timedelta(minutes=minutes),
        from_status=frm,
        to_status=to,
    )
    return wrap(moved, ticket_id)


async def test_the_claim_holds_the_tickets_lock_until_the_transaction_ends(desk: Desk) -> None:
    ticket_id = uuid.uuid4()
    async with desk.uow(direct=True) as uow:
        [key] = uow.claim_locks([str(ticket_id)])
        await uow.inbox.claim_many([("t.locks", uuid.uuid4(), "ticket.created")], locks=[key])
        assert uow.inbox.locked == {key}
        assert not await _lock_free(desk, key)
        await uow.commit()
    assert await _lock_free(desk, key)


async def test_a_subject_that_names_no_ticket_takes_no_lock(desk: Desk) -> None:
    async with desk.uow(direct=True) as uow:
        assert uow.claim_locks(["not-a-ticket"]) == []


@pytest.mark.parametrize("claimed", [True, False], ids=["lock-in-claim", "lock-with-record"])
async def test_an_event_waits_for_the_ticket_and_reads_the_clock_committed_before_it(
    desk: Desk, claimed: bool
) -> None:
    """The second event's statement starts after the first transaction committed, so it
    reads the clock the first one stored: it is answered, not kept as an event before
    registration. Without the claim's lock, the record takes it (rebuilds, tests)."""
    ticket_id, _ = await desk.created(at=T0)
    first = _moved(ticket_id, "new", "in_progress", 5)
    second = _moved(ticket_id, "in_progress", "new", 6)
    before = await _answers(desk, ticket_id)

    async def apply(envelope: Envelope, uow: SlaUnitOfWork) -> list[TimerChange]:
        if claimed:
            await _claim(uow, envelope.id, ticket_id)
        return await apply_ticket_event(uow, fact_from(envelope, ticket_event(envelope)))

    async def later() -> list[TimerChange]:
        async with desk.uow(direct=True) as uow:
            answered = await apply(second, uow)
            await uow.commit()
        return answered

    async with desk.uow(direct=True) as uow:
        assert await apply(first, uow)
        waiting = asyncio.create_task(later())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # held at the ticket's lock
        await uow.commit()
    assert await asyncio.wait_for(waiting, 10)  # answered: it saw the first one's clock
    rows = await desk.rows(
        "SELECT last_seq FROM sla_clock.ticket_clock WHERE ticket_id = :t", t=ticket_id
    )
    history = await desk.rows(
        "SELECT seq FROM sla_clock.ticket_event WHERE ticket_id = :t ORDER BY seq", t=ticket_id
    )
    assert len(history) == 3
    assert rows[0].last_seq == history[-1].seq
    assert await _answers(desk, ticket_id) > before


async def test_a_redelivered_event_past_the_claim_is_absorbed_by_the_history(desk: Desk) -> None:
    ticket_id, _ = await desk.created(at=T0)
    event = _moved(ticket_id, "new", "in_progress", 5)
    await desk.deliver(event)
    answers = await _answers(desk, ticket_id)
    async with desk.uow(direct=True) as uow:
        await _claim(uow, uuid.uuid4(), ticket_id)  # another handler's claim: the lock only
        recorded = await uow.sla.record_and_read(
            fact_from(event, ticket_event(event)), ticket_id=ticket_id
        )
        await uow.commit()
    assert recorded is None
    assert await _answers(desk, ticket_id) == answers
