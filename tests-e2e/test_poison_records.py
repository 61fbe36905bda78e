"""Poison records on every consumed topic: each consumer dead-letters them and goes on.

For every topic a service consumes, poison records are produced straight onto the
broker: bytes that are not JSON (every consumer of the topic must park them), and
well-formed envelopes of known types whose ``data`` the payload model refuses (each
consumer that handles the type must park it; ``INVALID``). Every one is parked on
``support.dlq.v1`` (headers name the service and the source topic/partition/offset),
commit past it, and keep handling: a ticket created afterwards reaches every consumer.

The map of who consumes what is written out here (the test does not import the
services); a service in the map that stopped reading a topic fails here (no dead letter).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from deskstack.stack import RunningStack
from shared.events.topics import CONTRACTS, DLQ, ESCALATIONS, MAIL, SLA, TICKETS
from shared.testing.builders import make_contact, make_customer, make_ticket
from shared.testing.observer import TopicObserver, wait_until_consumed

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

# topic -> the services whose consumer group reads it (services/*/src/*/handlers.py TOPICS).
# support.notifications.v1 has no consumer on the platform: nothing to poison there.
CONSUMERS: dict[str, tuple[str, ...]] = {
    TICKETS: ("sla-clock", "escalation", "notification"),
    SLA: ("intake", "escalation", "notification"),
    ESCALATIONS: ("intake", "notification"),
    CONTRACTS: ("intake", "escalation", "notification"),
    MAIL: ("notification",),
}
# topic -> envelopes of known types with data their model refuses, each with the consumers
# that handle that type (and so must park it). A consumer with no handler for a type skips
# it, so each type is chosen where that is certain: notification handles a contracts type
# it has no effect for only while a webhook subscription wants it (test order decides),
# so contract.changed, which it has no effect for, is aimed at intake and escalation only,
# and customer.changed and contact.changed (both notification's) cover notification.
INVALID: dict[str, tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...]] = {
    TICKETS: (
        (
            "ticket.created",
            {"ticket_id": "not-a-uuid", "severity": 3},
            ("sla-clock", "escalation", "notification"),
        ),
    ),
    SLA: (
        (
            "sla.timer.scheduled",
            {"timer": "response", "due_at": "soon"},
            ("intake", "escalation", "notification"),
        ),
    ),
    ESCALATIONS: (
        (
            "escalation.raised",
            {"level": "high", "recipients": "everyone"},
            ("intake", "notification"),
        ),
    ),
    CONTRACTS: (
        (
            "contract.changed",
            {"change": "updated", "contract": "not an object"},
            ("intake", "escalation"),
        ),
        ("customer.changed", {"change": 7, "customer": ["a", "list"]}, ("intake", "notification")),
        ("contact.changed", {"change": None, "contact": "nobody"}, ("escalation", "notification")),
    ),
    MAIL: (
        (
            "mail.bounced",
            {"inbound_id": "not-a-uuid", "address": ["a", "list"]},
            ("notification",),
        ),
    ),
}


def _not_json() -> bytes:
    return b"\xff\xfe this is not JSON {"


def _invalid_envelope(event_type: str, data: dict[str, Any], key: str) -> bytes:
    envelope = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "type": event_type,
        "source": "tests/poison",
        "time": datetime.now(UTC).isoformat(),
        "subject": key,
        "datacontenttype": "application/json",
        "data": data,
    }
    return json.dumps(envelope).encode()


async def _eventually(
    check: Callable[[], Awaitable[Any]],
    what: str,
    timeout: float = 45,
    on_fail: Callable[[], object] = lambda: "",
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s {on_fail()}"
        await asyncio.sleep(0.3)


class DlqReader:
    """Reads support.dlq.v1 from its current end (raw: parked values need not be JSON)."""

    def __init__(self, bootstrap: str) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100
        )
        self.records: list[Any] = []

    async def start(self) -> None:
        await self._consumer.start()
        await self._consumer._client.force_metadata_update()
        partitions = [TopicPartition(DLQ, p) for p in self._consumer.partitions_for_topic(DLQ)]
        self._consumer.assign(partitions)
        for tp, offset in (await self._consumer.end_offsets(partitions)).items():
            self._consumer.seek(tp, offset)

    async def poll(self) -> None:
        for records in (await self._consumer.getmany(timeout_ms=200)).values():
            self.records.extend(records)

    async def stop(self) -> None:
        await self._consumer.stop()


async def _committed(bootstrap: str, group: str, partitions: list[TopicPartition]) -> list[int]:
    """The group's committed offsets (read without joining the group)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        return [await consumer.committed(tp) or -1 for tp in partitions]
    finally:
        await consumer.stop()


# key -> (topic, partition, offset, the consumers that must park it)
Poison = dict[str, tuple[str, TopicPartition, int, tuple[str, ...]]]


async def _produce_poison(bootstrap: str) -> Poison:
    """Two poison records (not JSON; a refused payload) on every consumed topic."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    poison: Poison = {}
    try:
        for topic, readers in CONSUMERS.items():
            keys = [str(uuid.uuid4()) for _ in range(1 + len(INVALID[topic]))]
            values = [
                (_not_json(), readers),
                *(
                    (_invalid_envelope(kind, data, key), handlers)
                    for key, (kind, data, handlers) in zip(keys[1:], INVALID[topic], strict=True)
                ),
            ]
            for key, (value, parked_by) in zip(keys, values, strict=True):
                meta = await producer.send_and_wait(topic, value=value, key=key.encode())
                tp = TopicPartition(topic, meta.partition)
                poison[key] = (topic, tp, meta.offset, parked_by)
    finally:
        await producer.stop()
    return poison


async def _wait_until_all_parked(
    reader: DlqReader, poison: Poison, expected: set[tuple[str, str]]
) -> None:
    def missing() -> list[tuple[str, str, str]]:
        seen = {
            (r.key.decode(), dict(r.headers)["dlq_consumer"].decode())
            for r in reader.records
            if r.key and r.key.decode() in poison
        }
        return sorted((service, *poison[key][:1], key) for key, service in expected - seen)

    async def all_parked() -> bool:
        await reader.poll()
        return not missing()

    try:
        await _eventually(all_parked, "one dead letter per consumer and record", on_fail=missing)
    finally:
        await reader.stop()


def _assert_parked_once_with_coordinates(
    reader: DlqReader, poison: Poison, expected: set[tuple[str, str]]
) -> None:
    parked = [r for r in reader.records if r.key and r.key.decode() in poison]
    # Exactly once per consumer: an extra park can only come from notification taking a
    # contracts type for a webhook (INVALID), never twice from the same consumer.
    times = Counter((r.key.decode(), dict(r.headers)["dlq_consumer"].decode()) for r in parked)
    assert expected <= set(times)
    assert all(n == 1 for n in times.values()), "a poison record was dead-lettered twice"
    for record in parked:
        topic, tp, offset, _ = poison[record.key.decode()]
        headers = dict(record.headers)
        assert headers["dlq_source"].decode() == f"{topic}/{tp.partition}/{offset}"
        assert headers["dlq_reason"], "the reason is named"
        assert headers["dlq_error"], "the error is kept"


async def _wait_until_committed_past(bootstrap: str, poison: Poison) -> None:
    """Each consumer group committed past every poison record it read."""
    for service in {s for services in CONSUMERS.values() for s in services}:

        async def past_poison(service: str = service) -> bool:
            read = [
                (tp, offset)
                for topic, tp, offset, _ in poison.values()
                if service in CONSUMERS[topic]
            ]
            committed = await _committed(bootstrap, service, [tp for tp, _ in read])
            return all(c > offset for c, (_, offset) in zip(committed, read, strict=True))

        await _eventually(past_poison, f"{service} committed past the poison")


async def test_every_consumer_dead_letters_poison_and_goes_on(
    stack: RunningStack, api: httpx.AsyncClient
) -> None:
    customer = await make_customer(api)
    contact = await make_contact(api, customer["id"])
    await make_ticket(api, contact["email"])  # every consumer has joined and is reading

    reader = DlqReader(stack.bootstrap)
    await reader.start()
    poison = await _produce_poison(stack.bootstrap)
    expected = {
        (key, service) for key, (_, _, _, parked_by) in poison.items() for service in parked_by
    }

    await _wait_until_all_parked(reader, poison, expected)

    _assert_parked_once_with_coordinates(reader, poison, expected)
    await _wait_until_committed_past(stack.bootstrap, poison)
    await _a_new_ticket_reaches_every_consumer(api, stack.bootstrap)


async def _a_new_ticket_reaches_every_consumer(api: httpx.AsyncClient, bootstrap: str) -> None:
    customer = await make_customer(api)  # its own (a basic tier allows one open ticket)
    contact = await make_contact(api, customer["id"])
    async with TopicObserver(bootstrap, [TICKETS, SLA]) as observer:
        ticket = await make_ticket(api, contact["email"], severity="critical")
        records = [
            *await observer.wait_for(
                lambda s: s.type == "ticket.created" and s.subject == ticket["id"]
            ),
            *await observer.wait_for(
                lambda s: s.type == "sla.timer.scheduled" and s.subject == ticket["id"]
            ),
        ]
    url = f"/api/v1/tickets/{ticket['id']}"

    async def timers() -> bool:  # sla-clock read support.tickets.v1
        r = await api.get(f"{url}/sla")
        names = {t["timer"] for t in r.json().get("timers", [])} if r.status_code == 200 else set()
        return names >= {"response", "resolution"}

    async def intake_summary() -> bool:  # intake read support.sla.v1
        r = await api.get(url)
        assert r.status_code == 200, r.text
        return bool(r.json().get("sla"))

    async def registration() -> bool:  # notification read tickets and sla, and delivered
        r = await api.get(f"{url}/notifications")
        assert r.status_code == 200, r.text
        return any(n["template"] == "ticket_registered" for n in r.json())

    await _eventually(timers, "sla-clock's timers of the new ticket")
    await _eventually(intake_summary, "intake's SLA summary of the new ticket")
    # Escalation and notification read tickets and sla: their groups commit past the
    # ticket's records only after their handlers' transaction committed (or a parking).
    for group in ("escalation", "notification"):
        await wait_until_consumed(bootstrap, group, records, timeout=45)
    await _eventually(registration, "notification's registration delivery")
