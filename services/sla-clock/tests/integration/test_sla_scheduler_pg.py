"""The durable scheduler against PostgreSQL: exactly once across replicas, catch-up, promptness."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from shared.clock import FrozenClock, SystemClock
from shared.events.base import EVENT_TYPES, Envelope, EventData
from shared.events.sla import TimerBreached, TimerWarning
from shared.events.topics import SLA
from shared.testing.builders import policy_document
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.config import SCHEMA
from sla_clock.scheduler import AlarmScheduler, Fired

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

S = timedelta(seconds=1)


def tiny_policy(response: str = "4s", resolution: str = "10s") -> dict[str, Any]:
    """A contract policy with targets of seconds on a 24x7 schedule."""
    return policy_document(
        version=f"drill-{uuid.uuid4().hex[:6]}",
        schedules={"premium": "24x7"},
        targets={"premium": {"critical": (response, resolution)}},
        warning_percents=[50, 75, 90],
    )


async def _until(check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def _fired_events(desk, ticket_ids: set[uuid.UUID]) -> list[dict[str, Any]]:
    rows = await desk.rows(
        "SELECT payload FROM sla_clock.outbox WHERE event_type IN "
        "('sla.timer.warning', 'sla.timer.breached') AND key = ANY(:keys) ORDER BY seq",
        keys=[str(t) for t in ticket_ids],
    )
    return [r.payload for r in rows]


class TestSeveralReplicas:
    async def test_two_schedulers_over_the_same_due_alarms_fire_each_once(self, desk) -> None:
        base = datetime(2040, 1, 1, tzinfo=UTC)
        tickets = set()
        for _ in range(40):
            ticket_id, _ = await desk.created(at=base, policy=tiny_policy())
            tickets.add(ticket_id)
        expected = 40 * 8  # 3 warnings + 1 breach, two timers each
        clock = FrozenClock(base + 60 * S)  # every alarm of these tickets is due
        fired: dict[str, list[Fired]] = {"a": [], "b": []}
        schedulers = [
            AlarmScheduler(
                uow_factory=desk.uow,
                clock=clock,
                poll_seconds=0.02,
                batch_size=7,  # small batches: the two really interleave
                on_fired=fired[name].extend,
            )
            for name in ("a", "b")
        ]
        stop = asyncio.Event()
        runs = [asyncio.create_task(s.run(stop)) for s in schedulers]
        try:

            async def all_fired() -> bool:
                rows = await desk.rows(
                    "SELECT count(*) AS n FROM sla_clock.timer_alarm "
                    "WHERE ticket_id = ANY(:t) AND fired_at IS NULL",
                    t=list(tickets),
                )
                return rows[0].n == 0

            await _until(all_fired)
        finally:
            stop.set()
            await asyncio.gather(*runs)

        events = await _fired_events(desk, tickets)
        assert len(events) == expected
        per_alarm = Counter(
            (e["data"]["timer_id"], e["type"], e["data"].get("percent")) for e in events
        )
        assert set(per_alarm.values()) == {1}
        # Both replicas took part, and neither fired an alarm the other did.
        ids_a = {f.alarm_id for f in fired["a"]}
        ids_b = {f.alarm_id for f in fired["b"]}
        assert ids_a
        assert ids_b
        assert not ids_a & ids_b
        assert len(ids_a | ids_b) >= expected
        # Each alarm row points at the one event that announced it.
        rows = await desk.rows(
            "SELECT event_id FROM sla_clock.timer_alarm WHERE ticket_id = ANY(:t)", t=list(tickets)
        )
        assert {str(r.event_id) for r in rows} == {e["id"] for e in events}


class TestCatchUpAfterDowntime:
    async def test_alarms_that_fell_due_while_down_fire_on_start_marked_late(
        self, desk, sla_app
    ) -> None:
        base = datetime(2041, 3, 1, tzinfo=UTC)
        ticket_id, _ = await desk.created(at=base, policy=tiny_policy("4s", "3600s"))
        # The service was down from base until base + 10 s: the response timer's three
        # warnings and its breach all fell due meanwhile; the resolution's 50 % is far off.
        clock = FrozenClock(base + 10 * S)
        async with sla_app(clock=clock, run_scheduler=True) as (_, runtime):

            async def response_done() -> bool:
                return len(await _fired_events(desk, {ticket_id})) >= 4

            await _until(response_done)
            await asyncio.sleep(0.2)  # nothing else is due: nothing else may fire
            events = await _fired_events(desk, {ticket_id})
            assert [(e["type"], e["data"].get("percent")) for e in events] == [
                ("sla.timer.warning", 50),
                ("sla.timer.warning", 75),
                ("sla.timer.warning", 90),
                ("sla.timer.breached", None),
            ]
            assert all(e["data"]["late"] is True for e in events)
            assert {e["data"]["timer"] for e in events} == {"response"}

            # Back in normal operation: the next alarm fires on time, not late.
            clock.set(base + 1800 * S)

            async def warning_fired() -> bool:
                return len(await _fired_events(desk, {ticket_id})) == 5

            await _until(warning_fired)
            latest = (await _fired_events(desk, {ticket_id}))[-1]
            assert latest["data"]["timer"] == "resolution"
            assert latest["data"]["percent"] == 50
            assert latest["data"]["late"] is False
            assert runtime.state.scheduler.fired >= 5

        alarms = await desk.alarms(ticket_id)
        assert [a.late for a in alarms if a.timer == "response"] == [True] * 4


class TestPromptness:
    async def test_fires_within_a_second_of_the_instant_on_the_wall_clock(self, desk) -> None:
        now = datetime.now(UTC)
        ticket_id, _ = await desk.created(at=now, policy=tiny_policy("2s", "3600s"))
        fired: list[Fired] = []
        scheduler = AlarmScheduler(uow_factory=desk.uow, clock=SystemClock(), on_fired=fired.extend)
        stop = asyncio.Event()
        task = asyncio.create_task(scheduler.run(stop))
        try:

            async def breached() -> bool:
                return any(f.kind == "breach" for f in fired)

            await _until(breached, timeout=5)
        finally:
            stop.set()
            await task
        mine = [f for f in fired if f.fire_at <= now + 2 * S]
        assert len(mine) == 4
        for f in mine:
            lag = f.committed_at - f.fire_at
            assert timedelta(0) <= lag < S, f
            assert f.late is False
        assert len(await _fired_events(desk, {ticket_id})) == 4


class TestWokenByTheConsumer:
    async def test_an_alarm_stored_nearer_than_the_next_pass_wakes_the_scheduler(
        self, desk, sla_app
    ) -> None:
        # A poll of a minute: only the consumer's wake-up can fire within seconds.
        async with sla_app(run_scheduler=True, scheduler_poll_seconds=60) as (_, runtime):

            async def first_pass_done() -> bool:
                scheduler = runtime.state.scheduler
                return scheduler is not None and scheduler.passes >= 1

            await _until(first_pass_done)
            desk.uow = runtime.uow  # store as sla-clock's consumer does, in this runtime
            ticket_id, _ = await desk.created(at=datetime.now(UTC), policy=tiny_policy("1s"))

            async def breached() -> bool:
                fired = await _fired_events(desk, {ticket_id})
                return any(e["type"] == "sla.timer.breached" for e in fired)

            await _until(breached, timeout=5)
        assert len(await _fired_events(desk, {ticket_id})) == 4  # 3 warnings, 1 breach


class TestLateAlarmsWaitForTheConsumer:
    """After downtime, a late alarm waits until queued ticket events are applied.

    Other tests' tickets share the database, so counts are read per ticket.
    """

    async def test_late_alarms_are_held_until_caught_up_and_on_time_ones_are_not(
        self, desk
    ) -> None:
        base = datetime(2042, 5, 1, tzinfo=UTC)
        ticket_id, _ = await desk.created(at=base, policy=tiny_policy("4s", "3600s"))
        clock = FrozenClock(base + 10 * S)  # the response's alarms are all late now
        caught_up = False

        async def gate() -> bool:
            return caught_up

        async def fired() -> list[tuple[str, Any, bool]]:
            return [
                (e["data"]["timer"], e["data"].get("percent"), e["data"]["late"])
                for e in await _fired_events(desk, {ticket_id})
            ]

        scheduler = AlarmScheduler(uow_factory=desk.uow, clock=clock, catch_up_gate=gate)

        await scheduler.fire_due()
        assert scheduler.held_late is True
        assert await fired() == []
        clock.set(base + 1800 * S)  # the resolution's 50 % falls due on time
        await scheduler.fire_due()
        assert await fired() == [("resolution", 50, False)]

        caught_up = True
        while await scheduler.fire_due():
            pass
        assert await fired() == [
            ("resolution", 50, False),
            ("response", 50, True),
            ("response", 75, True),
            ("response", 90, True),
            ("response", None, True),
        ]

    async def test_a_gate_that_never_opens_holds_no_longer_than_max_hold(self, desk) -> None:
        base = datetime(2042, 6, 1, tzinfo=UTC)
        ticket_id, _ = await desk.created(at=base, policy=tiny_policy("4s", "3600s"))

        async def never() -> bool:
            return False

        scheduler = AlarmScheduler(
            uow_factory=desk.uow,
            clock=FrozenClock(base + 10 * S),
            catch_up_gate=never,
            max_hold=timedelta(seconds=0.3),
        )

        await scheduler.fire_due()
        assert await _fired_events(desk, {ticket_id}) == []
        await asyncio.sleep(0.35)
        while await scheduler.fire_due():
            pass
        assert scheduler.held_late is False
        assert len(await _fired_events(desk, {ticket_id})) == 4


class TestEventsBuiltByTheServer:
    """The fire statement builds each envelope in SQL: it must be what the models say."""

    async def test_each_event_is_the_envelope_and_payload_the_models_describe(self, desk) -> None:
        base = datetime(2043, 2, 1, tzinfo=UTC)
        ticket_id, _ = await desk.created(at=base, policy=tiny_policy("4s", "10s"))
        alarms = {a.id: a for a in await desk.alarms(ticket_id)}
        clock = FrozenClock(base + 5 * S)  # the response's four on time-ish; resolution's 50 %
        scheduler = AlarmScheduler(uow_factory=desk.uow, clock=clock)
        while await scheduler.fire_due():
            pass
        rows = await desk.rows(
            "SELECT o.id, o.topic, o.key, o.event_type, o.payload, a.id AS alarm_id "
            "FROM sla_clock.outbox AS o JOIN sla_clock.timer_alarm AS a ON a.event_id = o.id "
            "WHERE a.ticket_id = :t ORDER BY o.seq",
            t=ticket_id,
        )
        assert len(rows) == 5  # response 50/75/90 % and breach, resolution 50 %
        for row in rows:
            alarm = alarms[row.alarm_id]
            envelope = Envelope.model_validate(row.payload)
            model = EVENT_TYPES[row.event_type]
            data = envelope.payload(model)
            assert row.topic == model.TOPIC == SLA
            assert row.key == envelope.subject == str(ticket_id)
            assert envelope.id == row.id
            assert envelope.id.version == 7  # time-ordered, as new_id makes them
            assert envelope.type == row.event_type == model.TYPE
            assert envelope.source == "sla-clock"
            assert envelope.correlationid == envelope.id
            assert envelope.causationid is None
            assert envelope.time == clock.now()
            # Every field the model has, no other: the same keys Envelope.wrap would write.
            assert set(row.payload) == set(
                Envelope.wrap(data, source="x", subject="y").model_dump()
            )
            assert set(row.payload["data"]) == set(data.model_dump())
            common = {
                "ticket_id": ticket_id,
                "timer": alarm.timer,
                "timer_id": alarm.timer_id,
                "customer_id": alarm.customer_id,
                "tier": alarm.tier,
                "severity": alarm.severity,
                "state": "running",
                "policy_version": alarm.policy_version,
                "due_at": alarm.due_at,
                "late": clock.now() - alarm.fire_at > 2 * S,
                "target": alarm.target,
            }
            if alarm.kind == "breach":
                expected: EventData = TimerBreached(**common, fired_at=clock.now())
            else:
                expected = TimerWarning(**common, percent=alarm.percent, fire_at=alarm.fire_at)
            assert data == expected


def _herd_sql(count: int) -> str:
    """``count`` timers with two due alarms each (a 50 % warning, then the breach)."""
    return (
        "INSERT INTO sla_clock.timer_alarm (timer_id, ticket_id, timer, kind, percent, fire_at, "
        "due_at, tier, severity, target, policy_version) "
        "SELECT t.timer_id, t.ticket_id, 'response', k.kind, k.percent, "
        "CAST(:base AS timestamptz) + k.off + t.n * interval '1 millisecond', "
        "CAST(:base AS timestamptz) + interval '10 seconds', 'premium', 'critical', '10s', 'herd' "
        "FROM (SELECT n, gen_random_uuid() AS timer_id, gen_random_uuid() AS ticket_id "
        f"FROM generate_series(1, {count}) AS n) AS t, "
        "(VALUES ('warning', 50, interval '0 seconds'), ('breach', 100, interval '10 seconds')) "
        "AS k(kind, percent, off)"
    )


async def _store_herd(desk: Any, base: datetime, timers: int) -> set[int]:
    """Store the herd (two due alarms per timer) without ANALYZE; return the alarms' ids."""
    async with desk.engine.begin() as conn:
        await conn.execute(text(_herd_sql(timers)), {"base": base})
    rows = await desk.rows(
        "SELECT id FROM sla_clock.timer_alarm WHERE policy_version = 'herd' AND fire_at >= :base",
        base=base,
    )
    return {r.id for r in rows}


async def _replicas_fire(desk: Any, clock: FrozenClock, base: datetime) -> dict[str, list[Fired]]:
    """Two schedulers (replicas "a" and "b") run until no herd alarm is left unfired."""
    fired: dict[str, list[Fired]] = {"a": [], "b": []}
    # Default batch sizes: 500, doubling while the herd lasts. Each replica a unit of
    # work of its own on the session's engine (another test swaps ``desk.uow``).
    schedulers = [
        AlarmScheduler(
            uow_factory=lambda: SlaUnitOfWork(desk.sessions, schema=SCHEMA, source="sla-clock"),
            clock=clock,
            poll_seconds=0.02,
            on_fired=batch.extend,
        )
        for batch in fired.values()
    ]
    # Each replica's connection open before the herd (as a running replica's is): a new
    # connection can take a second on a loaded machine, time enough for the other
    # replica to fire the whole herd alone.
    await asyncio.gather(*(s.next_fire_at() for s in schedulers))
    stop = asyncio.Event()
    runs = [asyncio.create_task(s.run(stop)) for s in schedulers]
    try:

        async def all_fired() -> bool:
            rows = await desk.rows(
                "SELECT count(*) AS n FROM sla_clock.timer_alarm "
                "WHERE policy_version = 'herd' AND fire_at >= :base AND fired_at IS NULL",
                base=base,
            )
            return rows[0].n == 0

        await _until(all_fired, timeout=60)
    finally:
        stop.set()
        await asyncio.gather(*runs)
    return fired


class TestAHerdAcrossTwoReplicas:
    async def test_two_replicas_share_a_herd_each_alarm_once_each_timer_in_order(
        self, desk
    ) -> None:
        base = datetime(2044, 1, 1, tzinfo=UTC)
        ours = await _store_herd(desk, base, timers=5_000)
        assert len(ours) == 10_000
        fired = await _replicas_fire(desk, FrozenClock(base + 60 * S), base)  # all due at once

        ids = {
            name: [f.alarm_id for f in batch if f.alarm_id in ours] for name, batch in fired.items()
        }
        assert ids["a"]
        assert ids["b"]  # both took part
        assert not set(ids["a"]) & set(ids["b"])  # neither fired one the other did
        assert sorted(ids["a"] + ids["b"]) == sorted(ours)  # all fired, each once
        events = await desk.rows(
            "SELECT a.id AS alarm_id, a.timer_id, a.fire_at, o.seq "
            "FROM sla_clock.timer_alarm AS a JOIN sla_clock.outbox AS o ON o.id = a.event_id "
            "WHERE a.policy_version = 'herd' AND a.fire_at >= :base ORDER BY o.seq",
            base=base,
        )
        assert len(events) == len(ours)  # one event per alarm, linked by event_id
        # Each timer's warning went to the outbox before its breach, whichever replica
        # fired which: the breach was not claimable until the warning's stamp committed.
        last: dict[uuid.UUID, datetime] = {}
        for e in events:
            assert last.get(e.timer_id, e.fire_at) <= e.fire_at
            last[e.timer_id] = e.fire_at
