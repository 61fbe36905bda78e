"""The gateway's live-stream consumer gets the platform's Kafka security settings."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from gateway.stream_hub import StreamHub, StreamSettings
from shared.settings import KafkaSettings
from shared.testing.tls import make_pki


class Captured(Exception):
    """Raised by the patched ``start``: the client was built; no connection is attempted."""


@pytest.mark.asyncio
async def test_the_live_stream_consumer_is_secured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = make_pki(tmp_path)
    built: list[Any] = []

    async def capture(self: Any) -> None:
        built.append(self)
        raise Captured

    monkeypatch.setattr(AIOKafkaConsumer, "start", capture)
    settings = KafkaSettings(
        bootstrap_servers="127.0.0.1:1",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="desk",
        sasl_password="s3cret",
        ssl_cafile=pki.ca,
        ssl_certfile=pki.client_cert,
        ssl_keyfile=pki.client_key,
        request_timeout_ms=1000,
    )

    with pytest.raises(Captured):
        await StreamHub(settings, StreamSettings())._start()

    [consumer] = built
    client = consumer._client
    assert (client._security_protocol, client._sasl_mechanism) == ("SASL_SSL", "SCRAM-SHA-512")
    assert client._sasl_plain_username == "desk"
    assert isinstance(client._ssl_context, ssl.SSLContext)
    assert client._ssl_context.verify_mode == ssl.CERT_REQUIRED
