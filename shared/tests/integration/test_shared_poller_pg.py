"""The durable poller against real PostgreSQL: replicas share rows, a crash loses none."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.clock import SystemClock
from shared.db import UnitOfWork, messaging_tables_ddl, sessionmaker
from shared.poller import DueJob, DurablePoller

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


@pytest_asyncio.fixture(loop_scope="session")
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    name = f"pollertest_{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for ddl in messaging_tables_ddl(name):
            await conn.execute(text(ddl))
        await conn.execute(
            text(
                f'CREATE TABLE "{name}".item (id serial PRIMARY KEY, due_at timestamptz NOT NULL, '
                "done_at timestamptz, done_by text)"
            )
        )
    yield name
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def _uows(engine: AsyncEngine, schema: str) -> Callable[[], UnitOfWork]:
    sessions = sessionmaker(engine)
    return lambda: UnitOfWork(sessions, schema=schema, source="test")


async def _add(engine: AsyncEngine, schema: str, count: int, *, due: datetime) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(f'INSERT INTO "{schema}".item (due_at) SELECT :d FROM generate_series(1, :n)'),
            {"d": due, "n": count},
        )


async def _done(engine: AsyncEngine, schema: str) -> dict[int, str | None]:
    async with engine.connect() as conn:
        rows = (await conn.execute(text(f'SELECT id, done_by FROM "{schema}".item'))).all()
    return {r.id: r.done_by for r in rows}


class Items(DueJob[UnitOfWork, int]):
    """The job under test, with the SQL a service would keep in its adapters."""

    def __init__(self, who: str) -> None:
        self.who = who
        self.claimed: list[int] = []
        self.hold: asyncio.Event | None = None  # set: act waits for it, holding the locks
        self.holding = asyncio.Event()
        self.fail = 0  # acts left that stamp, then raise
        self.after_seen: list[int] = []

    async def claim(self, uow: UnitOfWork, *, now: datetime, limit: int) -> Sequence[int]:
        ids = await uow.session.scalars(
            text(
                f'SELECT id FROM "{uow.schema}".item WHERE done_at IS NULL AND due_at <= :now '
                "ORDER BY due_at, id LIMIT :n FOR UPDATE SKIP LOCKED"
            ),
            {"now": now, "n": limit},
        )
        return list(ids)

    async def act(self, uow: UnitOfWork, rows: Sequence[int], *, now: datetime) -> None:
        self.claimed += rows
        await uow.session.execute(
            text(
                f'UPDATE "{uow.schema}".item SET done_at = :now, done_by = :w WHERE id = ANY(:ids)'
            ),
            {"now": now, "w": self.who, "ids": list(rows)},
        )
        if self.hold is not None:
            self.holding.set()
            await self.hold.wait()
        if self.fail:
            self.fail -= 1
            raise RuntimeError("the process died mid-act")

    async def next_due(self, uow: UnitOfWork, *, now: datetime) -> datetime | None:
        value: Any = await uow.session.scalar(
            text(f'SELECT min(due_at) FROM "{uow.schema}".item WHERE done_at IS NULL')
        )
        return value  # type: ignore[no-any-return]

    async def after(self, rows: Sequence[int], *, now: datetime) -> None:
        self.after_seen += rows


def _poller(
    engine: AsyncEngine, schema: str, job: Items, *, batch: int = 10, poll: float = 10.0
) -> DurablePoller[UnitOfWork]:
    return DurablePoller(
        f"poller {job.who}",
        uow=_uows(engine, schema),
        jobs=[job],
        clock=SystemClock(),
        batch=batch,
        poll_seconds=poll,
        backoff=0.05,
    )


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not reached in time"
        await asyncio.sleep(0.02)


def _now() -> datetime:
    return datetime.now(UTC)


class TestReplicas:
    async def test_two_pollers_on_one_table_claim_disjoint_rows(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        await _add(engine, schema, 12, due=_now() - timedelta(seconds=1))
        first, second = Items("first"), Items("second")
        first.hold = asyncio.Event()
        a = asyncio.create_task(_poller(engine, schema, first, batch=5).run_once())
        await asyncio.wait_for(first.holding.wait(), 10)  # five rows locked, not committed

        took = await _poller(engine, schema, second, batch=100).run_once()
        first.hold.set()
        await a

        assert len(first.claimed) == 5
        assert took == 7
        assert set(first.claimed).isdisjoint(second.claimed)
        done = await _done(engine, schema)
        assert sorted(first.claimed) == sorted(i for i, w in done.items() if w == "first")
        assert None not in done.values()

    async def test_a_crash_mid_act_leaves_the_rows_claimable(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        await _add(engine, schema, 4, due=_now() - timedelta(seconds=1))
        dying, survivor = Items("dying"), Items("survivor")
        dying.fail = 1

        with pytest.raises(RuntimeError, match="mid-act"):
            await _poller(engine, schema, dying).run_once()
        assert dying.after_seen == []  # nothing committed, nothing reported
        assert set((await _done(engine, schema)).values()) == {None}

        assert await _poller(engine, schema, survivor).run_once() == 4
        assert set((await _done(engine, schema)).values()) == {"survivor"}
        assert sorted(survivor.after_seen) == sorted(dying.claimed)


class TestLoop:
    async def test_full_batches_go_again_at_once_and_a_failed_pass_is_retried(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        await _add(engine, schema, 7, due=_now() - timedelta(seconds=1))
        job = Items("loop")
        job.fail = 1
        poller = _poller(engine, schema, job, batch=2, poll=30.0)
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        try:
            await _until(lambda: len(job.after_seen) == 7)
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)
        assert poller.loop.failures == 0
        assert poller.done == 7

    async def test_batches_double_while_full_up_to_max_batch_and_drop_back_after(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        await _add(engine, schema, 40, due=_now() - timedelta(seconds=1))
        job = Items("herd")
        sizes: list[int] = []
        claim = job.claim

        async def recorded(uow: UnitOfWork, *, now: datetime, limit: int) -> Sequence[int]:
            sizes.append(limit)
            return await claim(uow, now=now, limit=limit)

        job.claim = recorded  # type: ignore[method-assign]
        poller = DurablePoller(
            "poller herd",
            uow=_uows(engine, schema),
            jobs=[job],
            clock=SystemClock(),
            batch=2,
            max_batch=10,
            poll_seconds=30.0,
        )
        for _ in range(7):
            await poller._pass()
        # 2, 4, 8, then 10 at most (10 + 10 = 40 rows by then), a partial batch: back to 2.
        assert sizes == [2, 4, 8, 10, 10, 10, 2]
        assert poller.done == 40
        assert poller.batch == 2

    async def test_it_sleeps_until_the_next_due_row_and_wakes_for_a_sooner_one(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        job = Items("sleeper")
        poller = _poller(engine, schema, job, poll=30.0)
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        try:
            await _until(lambda: poller.passes >= 1)  # nothing pending: it sleeps the cap
            soon = _now() + timedelta(seconds=0.3)
            await _add(engine, schema, 1, due=soon)
            poller.stored(soon)  # what a commit that stored it announces
            await _until(lambda: len(job.after_seen) == 1, timeout=5)
            assert _now() >= soon

            later = _now() + timedelta(seconds=0.5)
            await _add(engine, schema, 1, due=later)
            poller.stored(later)
            await _until(lambda: len(job.after_seen) == 2, timeout=5)
            assert _now() >= later  # the sleep ran until its instant, not the 30 s cap
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)

    async def test_an_idle_poll_stretches_and_any_wake_or_work_brings_it_back(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        job = Items("quiet")
        poller = _poller(engine, schema, job, poll=0.05)
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        try:
            # Empty passes: 0.1, 0.2, then six times the interval.
            await _until(lambda: poller.safety_poll_seconds == pytest.approx(0.3))
            passes = poller.passes
            await asyncio.sleep(0.6)
            assert poller.passes - passes <= 3  # sleeping 0.3 s, not 0.05 s
            poller.wake()  # a NOTIFY: back to the interval at once
            assert poller.safety_poll_seconds == pytest.approx(0.05)
            await _until(lambda: poller.safety_poll_seconds == pytest.approx(0.3))
            await _add(engine, schema, 1, due=_now())  # a row nothing announced
            await _until(lambda: len(job.after_seen) == 1, timeout=5)
            assert poller.safety_poll_seconds == pytest.approx(0.05)  # it acted: not quiet
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)

    async def test_while_its_wakes_cannot_arrive_it_polls_at_the_interval(
        self, engine: AsyncEngine, schema: str
    ) -> None:
        poller = DurablePoller(
            "deaf",
            uow=_uows(engine, schema),
            jobs=[Items("deaf")],
            clock=SystemClock(),
            batch=10,
            poll_seconds=0.05,
            hearing=lambda: False,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        try:
            await _until(lambda: poller.passes >= 5)
            assert poller.safety_poll_seconds == pytest.approx(0.05)
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)
