"""A poll's ticket events applied together, as the consumer applies a batch: two of
sla-clock's statements for the whole batch (its events recorded with their tickets'
clocks read, then every store), and exactly what the same events leave applied one at a
time: clocks, timers, alarms, the history and the answers, each caused by its event."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord

from shared.events.base import Envelope
from shared.events.tickets import TicketCreated, TicketSeverityChanged, TicketStatusChanged
from shared.events.topics import TICKETS
from shared.messaging.consumer import EventConsumer
from shared.settings import KafkaSettings
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.config import SCHEMA
from sla_clock.domain.clock import TimerKind, timer_id_for

from .conftest import ON_CALL, Desk, wrap

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

T0 = datetime(2031, 7, 1, 3, 0, tzinfo=UTC)
M = timedelta(minutes=1)


class _Counting:
    """sla-clock's statements, counted (the repository's round trips)."""

    def __init__(self, inner: Any, counts: list[str]) -> None:
        self._inner = inner
        self._counts = counts

    async def execute(self, sql: str, params: Mapping[str, Any]) -> None:
        self._counts.append(sql)
        await self._inner.execute(sql, params)

    async def rows(self, sql: str, params: Mapping[str, Any]) -> list[Any]:
        self._counts.append(sql)
        return await self._inner.rows(sql, params)

    async def one(self, sql: str, params: Mapping[str, Any]) -> Any | None:
        self._counts.append(sql)
        return await self._inner.one(sql, params)


def _counted_uow(desk: Desk, counts: list[str]) -> Any:
    class Counted(SlaUnitOfWork):
        def _open(self) -> None:
            real = self.statements
            self.statements = _Counting(real, counts)  # type: ignore[assignment]
            super()._open()
            self.statements = real

    return lambda: Counted(desk.sessions, schema=SCHEMA, source="sla-clock", direct=True)


def _created(ticket: uuid.UUID, at: datetime, severity: str) -> Envelope:
    return wrap(
        TicketCreated(
            ticket_id=ticket,
            customer_id=uuid.UUID(int=7),
            status="new",
            occurred_at=at,
            registration_number="TP-BATCH",
            severity=severity,
            tier="premium",
            channel="api",
            subject="It is down",
            received_at=at,
            policy=ON_CALL,
            policy_version=ON_CALL["version"],
        ),
        ticket,
    )


def _moved(ticket: uuid.UUID, frm: str, to: str, at: datetime) -> Envelope:
    moved = TicketStatusChanged(
        ticket_id=ticket, status=to, occurred_at=at, from_status=frm, to_status=to
    )
    return wrap(moved, ticket)


def _severity(ticket: uuid.UUID, severity: str, at: datetime) -> Envelope:
    changed = TicketSeverityChanged(
        ticket_id=ticket, occurred_at=at, severity=severity, previous_severity="high"
    )
    return wrap(changed, ticket)


def _story(a: uuid.UUID, b: uuid.UUID, c: uuid.UUID) -> list[Envelope]:
    """Three tickets' events interleaved: one ticket moves five times (a pause, a new
    severity, a resolution), one event arrives before its ticket's creation."""
    return [
        _created(a, T0, "high"),
        _moved(c, "new", "in_progress", T0 + M),  # before c's creation: history only
        _created(b, T0 + 2 * M, "medium"),
        _moved(a, "new", "in_progress", T0 + 5 * M),
        _created(c, T0 + 6 * M, "critical"),
        _moved(a, "in_progress", "waiting_customer", T0 + 20 * M),
        _severity(b, "critical", T0 + 21 * M),
        _moved(a, "waiting_customer", "in_progress", T0 + 50 * M),
        _severity(a, "critical", T0 + 51 * M),
        _moved(c, "new", "in_progress", T0 + 52 * M),
        _moved(a, "in_progress", "resolved", T0 + 70 * M),
    ]


def _records(envelopes: list[Envelope]) -> list[ConsumerRecord[bytes, bytes]]:
    out = []
    for offset, envelope in enumerate(envelopes):
        value = envelope.model_dump_json().encode()
        key = envelope.subject.encode()
        out.append(ConsumerRecord(TICKETS, 0, offset, 0, 0, key, value, None, 1, 1, []))
    return out


async def _left(desk: Desk, tickets: list[uuid.UUID], envelopes: list[Envelope]) -> Any:
    """What the events left, with this run's ids named by their place in the story."""
    names = {str(e.id): f"event{i}" for i, e in enumerate(envelopes)}
    for label, ticket in zip("abc", tickets, strict=True):
        names[str(ticket)] = label
        names.update({str(timer_id_for(ticket, k)): f"{label}/{k.value}" for k in TimerKind})

    def named(value: Any) -> Any:
        text = json.dumps(value, default=str, sort_keys=True)
        for raw, name in names.items():
            text = text.replace(raw, name)
        return json.loads(text)

    left = []
    for ticket in tickets:
        clock = await desk.rows(
            "SELECT state, status, severity, last_seq = (SELECT max(seq) FROM "
            "sla_clock.ticket_event WHERE ticket_id = :t) AS current "
            "FROM sla_clock.ticket_clock WHERE ticket_id = :t",
            t=ticket,
        )
        timers = await desk.rows(
            "SELECT kind, state, severity, target, started_at, due_at, ended_at, reason, "
            "worked_seconds FROM sla_clock.timer WHERE ticket_id = :t ORDER BY kind",
            t=ticket,
        )
        alarms = await desk.rows(
            "SELECT timer, kind, percent, fire_at, due_at, severity, fired_at "
            "FROM sla_clock.timer_alarm WHERE ticket_id = :t ORDER BY fire_at, timer, kind",
            t=ticket,
        )
        history = await desk.rows(
            "SELECT event_id, type FROM sla_clock.ticket_event WHERE ticket_id = :t ORDER BY seq",
            t=ticket,
        )
        answers = await desk.rows(
            "SELECT event_type, payload->'data' AS data, payload->>'causationid' AS cause "
            "FROM sla_clock.outbox WHERE key = :k ORDER BY seq",
            k=str(ticket),
        )
        left.append(
            named(
                {
                    "clock": [dict(r._mapping) for r in clock],
                    "timers": [dict(r._mapping) for r in timers],
                    "alarms": [dict(r._mapping) for r in alarms],
                    "history": [dict(r._mapping) for r in history],
                    "answers": [dict(r._mapping) for r in answers],
                }
            )
        )
    return left


def _consumer(desk: Desk, uow_factory: Any) -> EventConsumer:
    """sla-clock's consumer as the runtime builds it; its batches are handed to it here,
    records as a fetch returns them (no broker is asked for anything)."""
    return EventConsumer(
        name="t-sla-batch",
        kafka=KafkaSettings(),
        group_id="unused",
        topics=[TICKETS],
        handlers=desk.handlers,
        uow_factory=uow_factory,
    )


async def _run(desk: Desk, *, together: bool) -> tuple[Any, list[str], EventConsumer]:
    tickets = [uuid.uuid4() for _ in range(3)]
    envelopes = _story(*tickets)
    counts: list[str] = []
    consumer = _consumer(desk, _counted_uow(desk, counts))
    if together:
        assert await consumer.process_together(_records(envelopes)) is True
    else:
        for record in _records(envelopes):
            await consumer.process(record)
    return await _left(desk, tickets, envelopes), counts, consumer


async def test_a_batch_leaves_what_the_same_events_leave_one_at_a_time(desk: Desk) -> None:
    alone, alone_statements, _ = await _run(desk, together=False)
    together, batch_statements, consumer = await _run(desk, together=True)

    assert together == alone
    # The story is worth comparing: every ticket has a clock, timers and answers; b and c
    # pending alarms (a is resolved: its alarms were dropped); a's history holds all six
    # of its events, and c's the one that came before its creation.
    for ticket in together:
        assert ticket["clock"][0]["current"] is True
        assert ticket["timers"]
        assert ticket["answers"]
    assert together[0]["alarms"] == []
    assert together[1]["alarms"]
    assert together[2]["alarms"]
    assert len(together[0]["history"]) == 6
    assert [h["type"] for h in together[2]["history"]] == [
        "ticket.status_changed",
        "ticket.created",
        "ticket.status_changed",
    ]
    assert {a["cause"] for a in together[0]["answers"]} >= {"event0", "event10"}
    # One at a time: two statements per event (one for the event before its ticket's
    # creation). Together: two for all eleven.
    assert len(alone_statements) == 2 * 11 - 1
    assert len(batch_statements) == 2
    assert consumer.stats.processed == 11


async def test_a_batch_redelivered_changes_nothing_and_answers_nothing_twice(desk: Desk) -> None:
    left, _, _ = await _run(desk, together=True)
    tickets = [uuid.uuid4() for _ in range(3)]
    envelopes = _story(*tickets)
    consumer = _consumer(desk, lambda: desk.uow(direct=True))
    records = _records(envelopes)
    assert await consumer.process_together(records[:7]) is True
    # A redelivery of the first seven with the rest, as after a crash before the commit
    # of the offsets: the repeats are claimed already and leave nothing more.
    assert await consumer.process_together(records) is True
    assert consumer.stats.duplicates == 7
    assert await _left(desk, tickets, envelopes) == left
