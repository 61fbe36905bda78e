"""Resuming the live stream on another gateway replica, against a real broker.

Two hubs stand for two gateway replicas: a client that read some events on A resumes on
B (started later, so what it missed is older than B's tail and is read back from Kafka)
and on A after A's small window has dropped them; both give exactly the missed events.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable

import pytest
from aiokafka import AIOKafkaProducer

from gateway.fanout import StreamEvent, StreamFilter
from gateway.stream_hub import StreamHub, StreamSettings
from shared.events.topics import TICKETS
from shared.settings import KafkaSettings

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]


async def publish(kafka: KafkaSettings, ticket: str, customer: str, kinds: list[str]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers)
    await producer.start()
    try:
        for kind in kinds:
            envelope = {
                "id": str(uuid.uuid4()),
                "type": "ticket.commented",
                "subject": ticket,
                "data": {"ticket_id": ticket, "customer_id": customer, "text": kind},
            }
            await producer.send_and_wait(
                TICKETS, json.dumps(envelope).encode(), key=ticket.encode()
            )
    finally:
        await producer.stop()


async def until(probe: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not probe():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def texts(events: list[StreamEvent]) -> list[str]:
    return [e.body["event"]["data"]["text"] for e in events]


async def resumed(hub: StreamHub, wanted: StreamFilter, last_id: str, count: int) -> list[str]:
    """What a client resuming on ``hub`` from ``last_id`` gets: replay, then live."""
    sub, resume = hub.fanout.subscribe(wanted, last_id)
    try:
        assert not resume.gap
        got = [e async for e in hub.resume_from(resume) if wanted.admits(e)]
        await until(lambda: len(got) + sub.queue.qsize() >= count, f"{count} events")
        await asyncio.sleep(0.3)  # anything sent twice shows itself
        while not sub.queue.empty():
            got.append(sub.queue.get_nowait())
        return texts(got)
    finally:
        hub.fanout.unsubscribe(sub)


async def test_a_client_resumes_on_another_replica_and_after_the_window(
    kafka_settings: KafkaSettings,
) -> None:
    ticket, customer = str(uuid.uuid4()), str(uuid.uuid4())
    wanted = StreamFilter(customer_id=customer)
    a = StreamHub(kafka_settings, StreamSettings(window=5, fetch_max_wait_ms=50))
    b = StreamHub(kafka_settings, StreamSettings(window=5, fetch_max_wait_ms=50))
    try:
        await a.ensure_started()
        # A live client on A. Read from its queue, not A's window: on a broker shared with
        # other tests the tail may first re-read other events (Tansu reports a partition's
        # end as its last batch's first offset), and a window of 5 would drop e0-e2.
        live, _ = a.fanout.subscribe(wanted, None)
        seen: list[StreamEvent] = []

        def drained() -> list[str]:
            while not live.queue.empty():
                seen.append(live.queue.get_nowait())
            return texts(seen)

        await publish(kafka_settings, ticket, customer, ["e0", "e1", "e2"])
        await until(lambda: len(drained()) >= 3, "A to see e0-e2")
        left_at = seen[1].id  # the client saw e0 and e1, then was cut off

        await publish(kafka_settings, ticket, customer, [f"e{n}" for n in range(3, 10)])
        await until(lambda: "e9" in drained(), "A to see e9")
        a.fanout.unsubscribe(live)
        await b.ensure_started()  # B's tail starts after all of them
        await publish(kafka_settings, ticket, customer, ["e10"])
        expected = [f"e{n}" for n in range(2, 11)]

        assert await resumed(b, wanted, left_at, len(expected)) == expected
        assert await resumed(a, wanted, left_at, len(expected)) == expected  # window of 5
    finally:
        await a.close()
        await b.close()
