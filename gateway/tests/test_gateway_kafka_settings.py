"""The gateway reads the platform's ``KAFKA_*`` security settings like every service."""

from __future__ import annotations

import pytest

from shared.messaging.kafka import client_options


def test_the_gateway_reads_them_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.config import Settings

    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "gw")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "pw")
    assert Settings().kafka.security_protocol == "SASL_PLAINTEXT"
    assert client_options(Settings().kafka)["sasl_plain_username"] == "gw"
