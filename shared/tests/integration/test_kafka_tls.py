"""The platform's Kafka clients over a real TLS listener, and ensure_topics on a real broker.

Tansu has no TLS listener, so a TLS-terminating proxy (shared.testing.tls) stands in
front of it, and Tansu advertises the proxy: bootstrap, produce, the group's
coordinator, fetch and commit all travel over TLS, verified against a CA the test makes.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaConnectionError

from shared.infra.net import free_port
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import client_options, ensure_topics, make_admin, make_producer
from shared.settings import KafkaSettings
from shared.testing.tls import Pki, TlsProxy, make_pki

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def behind_proxy() -> Iterator[tuple[int, int]]:
    """A Tansu broker that tells clients to connect to a proxy port: (broker, proxy)."""
    broker_port, proxy_port = free_port(), free_port()
    broker = start_tansu(broker_port, advertised_port=proxy_port)
    try:
        yield broker_port, proxy_port
    finally:
        broker.terminate()
        try:
            broker.wait(10)
        except subprocess.TimeoutExpired:
            broker.kill()


def tls(proxy_port: int, **fields: Any) -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers=f"127.0.0.1:{proxy_port}", request_timeout_ms=5000, **fields
    )


async def produce_one(settings: KafkaSettings, topic: str, value: bytes) -> int:
    producer = make_producer(settings, client_id="tls-test")
    try:
        await producer.start()
        metadata = await producer.send_and_wait(topic, value, key=b"k")
        return int(metadata.offset)
    finally:
        await producer.stop()


async def test_produce_consume_commit_and_create_topics_over_tls(
    pki: Pki, behind_proxy: tuple[int, int]
) -> None:
    broker_port, proxy_port = behind_proxy
    settings = tls(proxy_port, security_protocol="SSL", ssl_cafile=pki.ca)
    topic = f"tls.test.{uuid.uuid4().hex[:8]}"
    async with TlsProxy(pki, port=proxy_port, upstream_port=broker_port) as proxy:
        report = await ensure_topics(settings, [topic], partitions=3, attempts=3)
        assert report.created == (topic,)
        assert report.plan.brokers == 1
        assert (report.plan.replication_factor, report.plan.min_insync_replicas) == (1, 1)

        offset = await produce_one(settings, topic, b"over tls")

        group = f"tls-{uuid.uuid4().hex[:8]}"
        consumer = AIOKafkaConsumer(
            topic,
            **client_options(settings),
            group_id=group,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            records = []
            for _ in range(40):
                batches = await consumer.getmany(timeout_ms=500)
                records = [r for rs in batches.values() for r in rs]
                if records:
                    break
            assert [(r.value, r.offset) for r in records] == [(b"over tls", offset)]
            tp = TopicPartition(topic, records[0].partition)
            await consumer.commit()
            assert await consumer.committed(tp) == offset + 1
        finally:
            await consumer.stop()
        # Every hop went through the proxy's TLS (the broker advertises only the proxy).
        assert proxy.handshakes >= 3


async def test_a_wrong_ca_or_no_tls_is_refused(
    pki: Pki, behind_proxy: tuple[int, int], tmp_path: Path
) -> None:
    broker_port, proxy_port = behind_proxy
    other = make_pki(tmp_path / "other")
    async with TlsProxy(pki, port=proxy_port, upstream_port=broker_port) as proxy:
        with pytest.raises(KafkaConnectionError):
            await produce_one(
                tls(proxy_port, security_protocol="SSL", ssl_cafile=other.ca), "x", b""
            )
        with pytest.raises(KafkaConnectionError):  # plaintext to a TLS listener
            await asyncio.wait_for(produce_one(tls(proxy_port), "x", b""), 30)
        assert proxy.handshakes == 0


async def test_mutual_tls_needs_the_client_certificate(
    pki: Pki, behind_proxy: tuple[int, int]
) -> None:
    broker_port, proxy_port = behind_proxy
    topic = f"mtls.test.{uuid.uuid4().hex[:8]}"
    with_cert = tls(
        proxy_port,
        security_protocol="SSL",
        ssl_cafile=pki.ca,
        ssl_certfile=pki.client_cert,
        ssl_keyfile=pki.client_key,
    )
    async with TlsProxy(
        pki, port=proxy_port, upstream_port=broker_port, require_client_cert=True
    ) as proxy:
        await ensure_topics(with_cert, [topic], partitions=1, attempts=3)
        assert await produce_one(with_cert, topic, b"mtls") == 0
        handshakes = proxy.handshakes
        without = tls(proxy_port, security_protocol="SSL", ssl_cafile=pki.ca)
        with pytest.raises(KafkaConnectionError):
            await produce_one(without, topic, b"refused")
        assert proxy.handshakes == handshakes


async def test_ensure_topics_reports_existing_topics_below_the_settings(
    kafka_settings: KafkaSettings,
) -> None:
    topic = f"report.test.{uuid.uuid4().hex[:8]}"
    three = kafka_settings.model_copy(update={"topic_partitions": 3})  # KAFKA_TOPIC_PARTITIONS
    first = await ensure_topics(three, [topic])
    assert first.created == (topic,)
    again = await ensure_topics(three, [topic])
    assert (again.created, again.existing, again.shortfalls) == ((), (topic,), ())
    assert "every existing topic meets the settings" in again.lines()

    admin = make_admin(kafka_settings, client_id="report-test")
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    assert len(described["partitions"]) == 3

    stricter = kafka_settings.model_copy(
        update={
            "topic_partitions": 6,
            "topic_replication_factor": 2,
            "topic_min_insync_replicas": 2,
        }
    )
    report = await ensure_topics(stricter, [topic])
    (shortfall,) = report.shortfalls
    assert shortfall.problems == (
        "3 partitions < 6",
        "replication factor 1 < 2",
        "min.insync.replicas 1 < 2",
    )
    assert "WARNING: the cluster reports 1 brokers" in report.plan.reason
    assert f"BELOW SETTINGS {topic}" in "\n".join(report.lines())


async def _settled(read: Callable[[], str], quiet: float = 1.0, timeout: float = 15) -> str:
    """The log once nothing was added for ``quiet`` seconds: the refused PLAIN client
    may still be retrying its bootstrap connection after ``produce_one`` gave up."""
    seen, deadline = read(), asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(quiet)
        now = read()
        if now == seen:
            return now
        seen = now
    return seen


async def test_sasl_settings_reach_tansus_scram_listener(tmp_path: Path) -> None:
    """Tansu's SASL listener (``--authentication``) offers SCRAM only and knows no user.

    Its users are created through the broker itself, which refuses an unauthenticated
    client once authentication is on, and its storage is memory only: no login can
    succeed here. What this shows is that each setting reaches the wire: a plaintext
    client is refused before SASL, PLAIN is refused as a mechanism, and SCRAM runs
    its exchange to the end, where Tansu answers that the user is unknown.
    """
    port = free_port()
    log_path = tmp_path / "tansu.log"
    broker = start_tansu(port, log_path=log_path, authentication=True)
    bootstrap = f"127.0.0.1:{port}"

    def sasl(mechanism: str) -> KafkaSettings:
        return KafkaSettings(
            bootstrap_servers=bootstrap,
            security_protocol="SASL_PLAINTEXT",
            sasl_mechanism=mechanism,
            sasl_username="desk",
            sasl_password="s3cret",  # pydantic makes it a SecretStr
            request_timeout_ms=5000,
        )

    def logged() -> str:
        return log_path.read_text()

    try:
        with pytest.raises(KafkaConnectionError):
            await produce_one(KafkaSettings(bootstrap_servers=bootstrap), "x", b"")
        assert "NotAuthenticated" in logged()
        assert "NoSharedMechanism" not in logged()

        with pytest.raises(KafkaConnectionError):
            await produce_one(sasl("PLAIN"), "x", b"")
        assert "NoSharedMechanism" in logged()

        before = await _settled(logged)
        for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
            # aiokafka reads Tansu's "e=unknown-user" as a server-final message without
            # its signature and fails on the missing field: the exchange ran to its end.
            with pytest.raises(KeyError, match="'v'"):
                await produce_one(sasl(mechanism), "x", b"")
        assert logged() == before  # no mechanism or authentication error on the broker
    finally:
        broker.terminate()
        broker.wait(10)
