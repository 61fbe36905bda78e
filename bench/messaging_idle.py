"""What an idle consumer costs, and how fast it sees a record, for a given fetch wait.

Run with ``python bench/messaging_idle.py [--fetch-wait-ms 50 500] [--idle 10] [--smoke]`` from
the repository root. For each fetch wait it starts a fresh Tansu broker on a free port,
one aiokafka consumer in a group (as the services' consumers are), and measures over
``--idle`` seconds the CPU of the broker and of this process; then it produces
``--records`` records, one every 0.2 s, and prints the produce → consume latency.
Tansu (see the messaging section of bench/README.md) holds an empty fetch for the
whole wait, so the fetch wait trades idle CPU against latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import psutil
import smoke
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import ensure_topics
from shared.settings import KafkaSettings

TOPIC = "support.escalations.v1"


def cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def consume(
    consumer: AIOKafkaConsumer, seen: dict[bytes, float], stop: asyncio.Event
) -> None:
    """Poll the way the services' consumer does (getmany with a 300 ms timeout)."""
    while not stop.is_set():
        batches = await consumer.getmany(timeout_ms=300, max_records=100)
        now = time.perf_counter()
        for records in batches.values():
            for record in records:
                seen.setdefault(record.value or b"", now)


async def latencies(bootstrap: str, seen: dict[bytes, float], count: int) -> list[float]:
    """Produce ``count`` records 0.1-0.3 s apart; return each one's latency in ms.

    The gaps are random: records a fixed 0.2 s apart lock onto the phase of a 200 ms
    fetch wait and measure that phase, not the delay a real stream sees.
    """
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    sent: dict[bytes, float] = {}
    try:
        for i in range(count):
            value = f"r{i}".encode()
            sent[value] = time.perf_counter()
            await producer.send_and_wait(TOPIC, value, key=value)
            await asyncio.sleep(random.uniform(0.1, 0.3))
        await asyncio.sleep(2)
    finally:
        await producer.stop()
    return [(seen[v] - t) * 1000 for v, t in sent.items() if v in seen]


async def measure(fetch_wait_ms: int, idle: float, records: int) -> None:
    port = free_port()
    broker = start_tansu(port, log_path=Path(tempfile.gettempdir()) / f"tansu-bench-{port}.log")
    bootstrap = f"127.0.0.1:{port}"
    try:
        await ensure_topics(KafkaSettings(bootstrap_servers=bootstrap))
        consumer = AIOKafkaConsumer(
            TOPIC,
            bootstrap_servers=bootstrap,
            group_id="bench-idle",
            enable_auto_commit=False,
            auto_offset_reset="latest",
            fetch_max_wait_ms=fetch_wait_ms,
        )
        await consumer.start()
        seen: dict[bytes, float] = {}
        stop = asyncio.Event()
        task = asyncio.create_task(consume(consumer, seen, stop))
        await asyncio.sleep(5)  # join the group and settle
        me, before_me, before_broker = os.getpid(), cpu(os.getpid()), cpu(broker.pid)
        await asyncio.sleep(idle)
        idle_me = (cpu(me) - before_me) / idle * 1000
        idle_broker = (cpu(broker.pid) - before_broker) / idle * 1000
        lat = sorted(await latencies(bootstrap, seen, records))
        stop.set()
        await task
        await consumer.stop()
    finally:
        broker.terminate()
        broker.wait(10)
    p50, p99 = statistics.median(lat), lat[max(0, int(len(lat) * 0.99) - 1)]
    print(
        f"fetch_max_wait_ms={fetch_wait_ms:>5}  idle CPU: broker {idle_broker:6.1f} ms/s, "
        f"consumer {idle_me:5.1f} ms/s  latency p50 {p50:6.1f} ms, p99 {p99:6.1f} ms "
        f"({len(lat)}/{records} seen)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch-wait-ms", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--records", type=int, default=20)
    args = smoke.parse(parser, fetch_wait_ms=[50], idle=1.0, records=3)
    for wait in args.fetch_wait_ms:
        asyncio.run(measure(wait, args.idle, args.records))


if __name__ == "__main__":
    main()
