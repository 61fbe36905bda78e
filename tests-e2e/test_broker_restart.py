"""The embedded broker stops for 20 s mid-load and comes back empty: nothing is lost.

This stack has its own database and its own Tansu broker (on a fixed port, so the
test can restart it), apart from the session's stack. Afterwards every ticket that
got a 201, before, during and after the outage, has its ``ticket.created`` and both
``sla.timer.scheduled`` on the topics: the relays noticed the empty broker,
recreated the topics and republished their retained outbox rows, and sla-clock's
consumer, whose offsets went with the broker, read the tickets topic again from
the earliest offset without applying anything twice.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio

from deskstack.services import SERVICES, migrate_all
from deskstack.stack import RunningStack
from shared.events.topics import SLA, TICKETS
from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.broker_watch import BrokerWatch
from shared.messaging.kafka import ensure_topics
from shared.settings import KafkaSettings
from shared.testing.builders import make_contact, make_contract, make_customer
from shared.testing.infra import create_database, drop_database
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

OUTAGE_SECONDS = 20
RATE_PER_SECOND = 4


class RestartableBroker:
    def __init__(self) -> None:
        self.port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.proc = start_tansu(self.port)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def start(self) -> None:
        self.proc = start_tansu(self.port)


@pytest.fixture(scope="module")
def own_broker() -> Iterator[RestartableBroker]:
    broker = RestartableBroker()
    asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=broker.bootstrap)))
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="module")
def own_stack(postgres_server_url: str, own_broker: RestartableBroker) -> Iterator[RunningStack]:
    database_url = asyncio.run(create_database(postgres_server_url, prefix="support_brokerloss"))
    migrate_all(database_url)
    stack = RunningStack(
        database_url=database_url,
        bootstrap=own_broker.bootstrap,
        idempotence=False,
        # Relays check the broker every second (10 s by default) to keep the test short.
        extra_env={s.name: {f"{s.prefix}BROKER_CHECK_SECONDS": "1"} for s in SERVICES},
    )
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
        asyncio.run(drop_database(postgres_server_url, database_url))


@pytest_asyncio.fixture(loop_scope="session")
async def own_api(own_stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=own_stack.gateway_url, headers=own_stack.admin_headers(), timeout=30
    ) as client:
        yield client


async def _post_tickets(
    api: httpx.AsyncClient, email: str, seconds: float, created: list[str]
) -> None:
    """Post tickets at a steady rate for ``seconds``; record the ids that got a 201."""
    interval = 1 / RATE_PER_SECOND
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": email, "subject": f"load {n}", "severity": "medium"},
            headers={"Idempotency-Key": f"brokerloss-{email}-{n}"},
        )
        assert r.status_code == 201, r.text
        created.append(r.json()["id"])
        await asyncio.sleep(interval)


async def _topics_exist(bootstrap: str, timeout: float = 30) -> None:
    """Wait until a relay has recreated the platform's topics on the restarted broker."""
    watch = BrokerWatch(KafkaSettings(bootstrap_servers=bootstrap), client_id="e2e-watch")
    deadline = time.monotonic() + timeout
    try:
        while (reason := await watch.loss()) is not None:
            assert time.monotonic() < deadline, reason
            await asyncio.sleep(0.5)
    finally:
        await watch.close()


async def test_a_broker_outage_loses_no_event(
    own_stack: RunningStack, own_broker: RestartableBroker, own_api: httpx.AsyncClient
) -> None:
    # Extended: no limit on open tickets (standard and basic allow one).
    customer = await make_customer(own_api, trained_specialists=1)
    await make_contract(own_api, customer["id"], "extended")
    contact = await make_contact(own_api, customer["id"])
    created: list[str] = []
    load = asyncio.create_task(
        _post_tickets(own_api, contact["email"], OUTAGE_SECONDS + 10, created)
    )
    await asyncio.sleep(4)
    before_outage = len(created)
    own_broker.stop()
    await asyncio.sleep(OUTAGE_SECONDS)
    own_broker.start()
    restarted = time.monotonic()
    await load

    assert before_outage > 0
    assert len(created) > before_outage + OUTAGE_SECONDS * RATE_PER_SECOND // 2
    expected = set(created)
    await _topics_exist(own_broker.bootstrap)
    async with TopicObserver(own_broker.bootstrap, [TICKETS, SLA], from_beginning=True) as seen:
        await seen.wait_for(
            lambda s: s.type == "ticket.created" and s.subject in expected,
            count=len(expected),
            timeout=90,
        )
        await seen.wait_for(
            lambda s: s.type == "sla.timer.scheduled" and s.subject in expected,
            count=2 * len(expected),
            timeout=90,
        )
        caught_up = time.monotonic() - restarted
        await asyncio.sleep(2)  # let any duplicate show itself
        created_events = seen.matching(
            lambda s: s.type == "ticket.created" and s.subject in expected
        )
        timers = seen.matching(lambda s: s.type == "sla.timer.scheduled" and s.subject in expected)

    assert {s.subject for s in created_events} == expected
    print(  # noqa: T201 (the figure for the closing note)
        f"\nbroker outage {OUTAGE_SECONDS} s: {len(expected)} tickets "
        f"({before_outage} before it); every event on the topics {caught_up:.1f} s after the "
        f"restart; ticket.created records {len(created_events)} "
        f"({len(created_events) - len(expected)} republished duplicates, absorbed)"
    )
    per_ticket = Counter((s.subject, s.data["timer"]) for s in timers)
    assert set(per_ticket) == {(t, k) for t in expected for k in ("response", "resolution")}
    # One timer per ticket and kind: republished events were absorbed, not applied twice.
    timer_ids = {(s.subject, s.data["timer"]): set() for s in timers}  # type: ignore[var-annotated]
    for s in timers:
        timer_ids[(s.subject, s.data["timer"])].add(s.data["timer_id"])
    assert all(len(ids) == 1 for ids in timer_ids.values())
