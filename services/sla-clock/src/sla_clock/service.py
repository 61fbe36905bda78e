"""Use cases of sla-clock's consumer: apply ticket events, rebuild from history.

Views (``views``), the compliance report (``reports``) and the timer payloads
(``timer_events``) are read models over the same state and live in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from shared.errors import NotFound
from shared.events.tickets import TicketEventData
from shared.events.vocabulary import FINAL_STATUSES
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.clock import (
    ChangeKind,
    TicketClock,
    TicketFact,
    TimerChange,
    TimerKind,
)
from sla_clock.domain.measures import planned_alarms
from sla_clock.domain.timers import HANDLED_TYPES, answer, fold, step
from sla_clock.metrics import count_verdicts
from sla_clock.timer_events import timer_event


async def _persist(
    uow: SlaUnitOfWork,
    clock: TicketClock,
    changes: Sequence[TimerChange],
    *,
    last_seq: int,
    moved: Iterable[TimerKind],
) -> None:
    """Store the state, replace the alarms of the timers that moved, announce the changes
    (one statement: ``SlaRepository.store``)."""
    timers = [clock.timer(kind) for kind in dict.fromkeys(moved)]
    subject = str(clock.ticket_id)
    events = uow.outbox.wrap_many([(timer_event(clock, change), subject) for change in changes])
    await uow.sla.store(
        clock,
        last_seq=last_seq,
        plans=[(t, planned_alarms(clock, t)) for t in timers],
        events=events,
    )
    await uow.outbox.wrote(events)


def _stored(fact: TicketFact) -> TicketFact:
    """Keep of an event that moves no timer only the fields every ticket event has
    (ticket, customer, status, instant): not its text."""
    if fact.type in HANDLED_TYPES:
        return fact
    common = TicketEventData.model_validate(fact.event.model_dump())  # drops the rest
    return replace(fact, event=common)


async def record_ticket_events(uow: SlaUnitOfWork, facts: Sequence[TicketFact]) -> None:
    """Record a batch of ticket events and read their tickets' clocks in one statement,
    before :func:`apply_ticket_event` runs on each (it then reads from what this read,
    and the batch's stores are written as one at the commit)."""
    await uow.sla.record_and_read_many([(_stored(f), f.event.ticket_id) for f in facts])


async def apply_ticket_event(uow: SlaUnitOfWork, fact: TicketFact) -> list[TimerChange]:
    """Store one ticket event, advance the ticket's clocks and answer on the SLA topic.

    Every ticket event is answered (see :func:`answer`): with the timer events it
    caused, or with ``sla.timer.unchanged`` per timer. Runs inside the caller's
    transaction (the consumer commits it, with its inbox claim: exactly once).
    """
    ticket_id = fact.event.ticket_id
    # Recorded with its batch already: no second copy of what to keep is made.
    kept = fact if uow.sla.prepared(fact.event_id) else _stored(fact)
    recorded = await uow.sla.record_and_read(kept, ticket_id=ticket_id)
    if recorded is None:
        return []  # this event is already in the ticket's history
    seq, current = recorded
    clock, changes = step(current.clock if current else None, fact)
    if clock is None:
        return []  # kept in the history; the ticket is not registered yet
    answered = answer(clock, fact, changes)
    moved = (c.timer.kind for c in answered if c.kind is not ChangeKind.unchanged)
    await _persist(uow, clock, answered, last_seq=seq, moved=moved)
    count_verdicts(clock, answered)
    return answered


@dataclass(frozen=True)
class Rebuilt:
    """The outcome of rebuilding one ticket's timers from its history."""

    ticket_id: UUID
    events: int
    changed: bool
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass(frozen=True)
class Replayed:
    """What one page of a replay over the open tickets did, and where the next starts."""

    tickets: int
    changed: list[UUID]
    next_after: UUID | None


async def rebuild_open_tickets(
    uow_factory: Any, *, after: UUID | None = None, limit: int = 200
) -> Replayed:
    """Rebuild one page of open tickets from their history, one transaction per ticket.

    This is how an engine fix reaches tickets already running: deploy the fix, then
    replay page by page (``next_after`` until it is None); changed timers are announced
    (``recomputed``, reason ``rebuild``) and their alarms replaced. Closed tickets keep the
    verdicts they were given. A page, not the whole set: a desk with many open tickets
    must not need one request that outlives every proxy's timeout.
    """
    async with uow_factory() as uow:
        ids = await uow.sla.open_ticket_ids(
            after=after, limit=limit, final_statuses=sorted(FINAL_STATUSES)
        )
    changed: list[UUID] = []
    for ticket_id in ids:
        async with uow_factory() as uow:
            result = await rebuild_ticket(uow, ticket_id)
            await uow.commit()
        if result.changed:
            changed.append(ticket_id)
    return Replayed(
        tickets=len(ids), changed=changed, next_after=ids[-1] if len(ids) == limit else None
    )


async def rebuild_ticket(uow: SlaUnitOfWork, ticket_id: UUID) -> Rebuilt:
    """Fold a ticket's whole history again and make it the live state.

    Timers whose due instant or state differ from the live ones are announced with
    ``sla.timer.recomputed`` (reason ``rebuild``) and their pending alarms replaced, so
    an engine fix can be replayed over open tickets. Runs in the caller's transaction.
    """
    await uow.sla.lock_ticket(ticket_id)
    history = await uow.sla.history(ticket_id)
    clock = fold(fact for _, fact in history)
    if clock is None:
        raise NotFound(
            f"No SLA history for ticket {ticket_id}: sla-clock has not seen its ticket.created.",
            slug="unknown-ticket",
        )
    current = await uow.sla.snapshot(ticket_id)
    before = current.clock.to_dict() if current else None
    after = clock.to_dict()
    changes = _rebuilt_changes(current.clock if current else None, clock)
    await _persist(uow, clock, changes, last_seq=history[-1][0], moved=list(TimerKind))
    return Rebuilt(
        ticket_id=ticket_id,
        events=len(history),
        changed=before != after,
        before=before,
        after=after,
    )


def _rebuilt_changes(live: TicketClock | None, rebuilt: TicketClock) -> list[TimerChange]:
    """Announce each rebuilt timer that differs from the live one (reason ``rebuild``)."""
    changes = []
    for t in rebuilt.timers:
        old = live.timer(t.kind) if live else None
        if old is None or old.to_dict() != t.to_dict():
            changes.append(
                TimerChange(
                    kind=ChangeKind.recomputed,
                    timer=t,
                    at=rebuilt.last_at,
                    previous_due_at=old.due_at if old else None,
                    reason="rebuild",
                )
            )
    return changes
