"""Every aiokafka client of the platform gets the security settings: from the sources (an
AST check) and from each real client object built with SASL_SSL settings."""

from __future__ import annotations

import ast
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging.broker_watch import BrokerWatch
from shared.messaging.consumer import EventConsumer
from shared.messaging.kafka import ensure_topics, make_admin, make_producer
from shared.settings import KafkaSettings
from shared.testing.observer import TopicObserver
from shared.testing.tls import Pki, make_pki

ROOT = Path(__file__).resolve().parents[3]
CLIENTS = {"AIOKafkaProducer", "AIOKafkaConsumer", "AIOKafkaAdminClient"}
SCANNED = [
    ROOT / "shared" / "src",
    ROOT / "gateway" / "src",
    *sorted((ROOT / "services").glob("*/src")),
    ROOT / "deploy",
]


def unsecured_clients(source: str) -> list[int]:
    """Lines constructing an aiokafka client without ``**client_options(...)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in CLIENTS:
            continue
        through_options = any(
            kw.arg is None
            and isinstance(kw.value, ast.Call)
            and getattr(kw.value.func, "id", getattr(kw.value.func, "attr", None))
            == "client_options"
            for kw in node.keywords
        )
        if not through_options:
            found.append(node.lineno)
    return found


def test_the_check_flags_a_client_built_without_client_options() -> None:
    source = (
        "from aiokafka import AIOKafkaConsumer\n"
        "a = AIOKafkaConsumer(**client_options(s), group_id='g')\n"
        "b = aiokafka.AIOKafkaProducer(bootstrap_servers=s.bootstrap_servers)\n"
        "c = AIOKafkaAdminClient(**other(s))\n"
    )
    assert unsecured_clients(source) == [3, 4]


def test_every_platform_client_goes_through_client_options() -> None:
    offenders = []
    for root in SCANNED:
        for path in sorted(root.rglob("*.py")):
            if ".venv" in path.parts:
                continue
            for line in unsecured_clients(path.read_text()):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert SCANNED[2:-1], "no services found: the scan would prove nothing"
    assert offenders == [], "aiokafka clients built without client_options: " + ", ".join(offenders)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def sasl_ssl(pki: Pki, **extra: Any) -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers="127.0.0.1:1",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="desk",
        sasl_password="s3cret",  # pydantic makes it a SecretStr
        ssl_cafile=pki.ca,
        ssl_certfile=pki.client_cert,
        ssl_keyfile=pki.client_key,
        request_timeout_ms=1000,
        **extra,
    )


def assert_secured(client: Any, pki: Pki) -> None:
    """The aiokafka connection settings that every broker connection of ``client`` uses."""
    assert client._bootstrap_servers == "127.0.0.1:1"
    assert client._security_protocol == "SASL_SSL"
    assert client._sasl_mechanism == "SCRAM-SHA-512"
    assert client._sasl_plain_username == "desk"
    assert client._sasl_plain_password == "s3cret"
    context = client._ssl_context
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    # Our test CA is the only one loaded (no system store when a CA file is given).
    assert [c["subject"] for c in context.get_ca_certs()] == [
        ((("commonName", f"test-ca-{pki.ca.parent.name}"),),)
    ]


class Captured(Exception):
    """Raised by the patched ``start``: the client was built; no connection is attempted."""


@pytest_asyncio.fixture
async def built(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[Any]]:
    """Every aiokafka client that calls ``start``, captured as it was built."""
    clients: list[Any] = []

    async def capture(self: Any) -> None:
        clients.append(self)
        raise Captured

    for cls in (AIOKafkaProducer, AIOKafkaConsumer, AIOKafkaAdminClient):
        monkeypatch.setattr(cls, "start", capture)
    yield clients
    for client in clients:  # none started; stop them all the same (no unclosed warnings)
        await (client.close() if isinstance(client, AIOKafkaAdminClient) else client.stop())


@pytest.mark.asyncio
async def test_producer_and_admin_get_the_settings(pki: Pki) -> None:
    settings = sasl_ssl(pki)
    producer = make_producer(settings, client_id="t")
    assert_secured(producer.client, pki)
    assert producer.client._client_id == "t"
    assert_secured(make_admin(settings, client_id="t")._client, pki)


@pytest.mark.asyncio
async def test_every_consumer_and_admin_gets_the_settings(pki: Pki, built: list[Any]) -> None:
    settings = sasl_ssl(pki)
    consumer = EventConsumer(
        name="t",
        kafka=settings,
        group_id="g",
        topics=["x"],
        handlers={},
        uow_factory=lambda: None,  # never reached: start is captured first
    )
    with pytest.raises(Captured):
        await consumer._start()
    with pytest.raises(Captured):
        await BrokerWatch(settings, client_id="t")._consumer()
    with pytest.raises(Exception, match="could not create topics"):
        await ensure_topics(settings, ["x"], attempts=1)
    with pytest.raises(Captured):
        await TopicObserver(settings, ["x"]).__aenter__()
    assert [type(c).__name__ for c in built] == [
        "AIOKafkaConsumer",  # the service's consumer
        "AIOKafkaConsumer",  # the relay's broker watch
        "AIOKafkaAdminClient",  # ensure_topics
        "AIOKafkaConsumer",  # the tests' observer
    ]
    for client in built:
        assert_secured(client._client, pki)
    assert_secured(consumer._dlq.client, pki)  # its dead-letter producer
