"""Benchmark escalation and notification: CPU per ticket of the consumer path alone.

Run with ``python bench/consumer_inproc.py [tickets] [per_poll]`` from the repository root
(defaults: 300 tickets, 1 record per poll; ``--smoke``: 5 tickets). It creates a throwaway
database (on ``DATABASE_URL``'s server, else 127.0.0.1:5432), migrates the two schemas,
builds each service's runtime in this process (no relay, worker or scheduler; no broker),
and feeds the shared consumer (``EventConsumer``) the records of
``bench/consumer_cost.py``'s ticket life as a poll would hand them over: ``per_poll``
records of one partition at a time (1 = each record alone, one transaction per handler;
more = the batch path, one transaction per poll). It prints the process CPU time
(``time.process_time``) per ticket: envelope parsing, inbox claims, handlers and commits,
and nothing else, so it does not depend on the broker's latency or on the loops' idle
cost, which swamp ``consumer_cost.py`` on a loaded machine.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import smoke
from aiokafka import ConsumerRecord

import escalation.app
import escalation.config
import notification.app
import notification.config
import sla_clock
import sla_clock.app
import sla_clock.config
from shared.db import run_migrations
from shared.events.topics import SLA, TICKETS
from shared.messaging.consumer import EventConsumer
from shared.runtime import migrations_dir
from shared.settings import DatabaseSettings, KafkaSettings
from shared.testing.infra import create_database, drop_database, maintenance_url

sys.path.insert(0, str(Path(__file__).parent))
from consumer_cost import ticket_events

MODULES: dict[str, Any] = {
    "escalation": (escalation, escalation.config.Settings, escalation.app.create_app),
    "notification": (notification, notification.config.Settings, notification.app.create_app),
    "sla-clock": (sla_clock, sla_clock.config.Settings, sla_clock.app.create_app),
}
QUIET = {"run_consumer": False, "run_relay": False, "log_level": "WARNING", "log_json": False}
EXTRA = {
    "escalation": {"run_scheduler": False},
    "notification": {"run_worker": False},
    "sla-clock": {"run_scheduler": False},
}


def polls(tickets: int, per_poll: int) -> list[list[ConsumerRecord[bytes, bytes]]]:
    """Each ticket's records as polls hand them over: its ticket records, then its SLA ones."""
    offsets = {TICKETS: 0, SLA: 0}
    out: list[list[ConsumerRecord[bytes, bytes]]] = []
    for n in range(tickets):
        by_topic: dict[str, list[ConsumerRecord[bytes, bytes]]] = {TICKETS: [], SLA: []}
        for env in ticket_events(n):
            topic = TICKETS if env.type.startswith("ticket.") else SLA
            value, key = env.model_dump_json().encode(), env.subject.encode()
            by_topic[topic].append(
                ConsumerRecord(
                    topic, 0, offsets[topic], 0, 0, key, value, None, len(key), len(value), ()
                )
            )
            offsets[topic] += 1
        for rs in by_topic.values():
            out += [rs[i : i + per_poll] for i in range(0, len(rs), per_poll)]
    return out


async def feed(consumer: EventConsumer, batches: list[list[Any]]) -> None:
    """What ``EventConsumer._poll_once`` does with each partition's records."""
    for batch in batches:
        if not (len(batch) > 1 and await consumer.process_together(batch)):
            for record in batch:
                await consumer.process(record)


async def cost(name: str, url: str, tickets: int, per_poll: int) -> float:
    """CPU ms per ticket of one service's consumer path."""
    _, settings_class, create_app = MODULES[name]
    settings = settings_class(database=DatabaseSettings(url=url), **QUIET, **EXTRA[name])
    runtime = create_app(settings).state.runtime
    await runtime.start()
    try:
        consumer = EventConsumer(
            name=name,
            kafka=KafkaSettings(),
            group_id=name,
            topics=runtime.topics,
            handlers=runtime.handlers,
            uow_factory=runtime.consumer_uow,  # as the service's own consumer
        )
        await feed(consumer, polls(20, 1))  # statement caches, connections, first compiles
        batches = polls(tickets, per_poll)
        started = time.process_time()
        await feed(consumer, batches)
        spent = time.process_time() - started
        assert consumer.stats.dead_lettered == 0, consumer.stats
        return 1000 * spent / tickets
    finally:
        await runtime.stop()


async def main(tickets: int, per_poll: int) -> None:

    server = maintenance_url()
    url = await create_database(server, prefix="consumer_inproc")
    try:
        for name, (module, _, _) in MODULES.items():
            await asyncio.to_thread(
                run_migrations,
                script_location=migrations_dir(module.__name__),
                url=url,
                schema=name.replace("-", "_"),
            )
        print(f"{tickets} tickets, {len(ticket_events(0))} events each, {per_poll} per poll")
        for name in MODULES:
            print(f"{name:>12}: {await cost(name, url, tickets, per_poll):6.2f} ms CPU/ticket")
    finally:
        await drop_database(server, url)


if __name__ == "__main__":
    argv, is_smoke = smoke.positional()
    args = [int(a) for a in argv]
    tickets = args[0] if args else 5 if is_smoke else 300
    asyncio.run(main(tickets, args[1] if len(args) > 1 else 1))
