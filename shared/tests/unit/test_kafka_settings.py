"""The Kafka security and topic settings: read from the environment like the brokers'
address, checked for combinations that cannot work, and the replication chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from shared.messaging.kafka import (
    TopicPlan,
    TopicShortfall,
    TopicsReport,
    choose_replication,
    client_options,
)
from shared.settings import KafkaSettings, ServiceSettings


class IntakeLike(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="KTEST_", env_nested_delimiter="__", extra="ignore"
    )


@pytest.fixture
def ca(tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    path.write_text("not read by the settings, only checked to exist\n")
    return path


def test_platform_variables_reach_every_service(monkeypatch: pytest.MonkeyPatch, ca: Path) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093")
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "sasl_ssl")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "scram-sha-512")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "desk")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    monkeypatch.setenv("KAFKA_SSL_CAFILE", str(ca))
    monkeypatch.setenv("KAFKA_TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "2")
    monkeypatch.setenv("KAFKA_TOPIC_PARTITIONS", "24")
    kafka = IntakeLike().kafka
    assert kafka.bootstrap_servers == "k1:9093,k2:9093"
    assert kafka.security_protocol == "SASL_SSL"
    assert kafka.sasl_mechanism == "SCRAM-SHA-512"
    assert kafka.sasl_username == "desk"
    assert kafka.sasl_password is not None
    assert kafka.sasl_password.get_secret_value() == "s3cret"
    assert kafka.ssl_cafile == ca
    assert (kafka.topic_replication_factor, kafka.topic_min_insync_replicas) == (3, 2)
    assert kafka.topic_partitions == 24
    assert KafkaSettings.from_env() == kafka
    # The password never shows in a repr, a log line or a dump.
    assert "s3cret" not in repr(IntakeLike())
    assert "s3cret" not in str(kafka.model_dump())


def test_a_service_override_wins_field_by_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "platform")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "platform-pw")
    monkeypatch.setenv("KTEST_KAFKA__SASL_USERNAME", "intake")
    monkeypatch.setenv("KTEST_KAFKA__SASL_PASSWORD", "intake-pw")
    kafka = IntakeLike().kafka
    assert kafka.sasl_username == "intake"
    assert kafka.sasl_password is not None
    assert kafka.sasl_password.get_secret_value() == "intake-pw"
    assert kafka.sasl_mechanism == "SCRAM-SHA-256"


def test_plaintext_by_default_with_bare_options(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SECURITY_PROTOCOL", "SASL_MECHANISM", "SSL_CAFILE", "BOOTSTRAP_SERVERS"):
        monkeypatch.delenv(f"KAFKA_{name}", raising=False)
    kafka = IntakeLike().kafka
    assert kafka.security_protocol == "PLAINTEXT"
    assert client_options(kafka) == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "PLAINTEXT",
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"security_protocol": "SASL_SSL"}, "needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME"),
        (
            {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN"},
            "needs KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD",
        ),
        ({"sasl_username": "u"}, "SASL settings are given but security_protocol is PLAINTEXT"),
        ({"security_protocol": "SSL", "sasl_mechanism": "GSSAPI"}, "sasl_mechanism"),
        ({"security_protocol": "TLS"}, "security_protocol"),
        (
            {"security_protocol": "SSL", "ssl_cafile": "/nonexistent/ca.pem"},
            "KAFKA_SSL_CAFILE: no such file: /nonexistent/ca.pem",
        ),
        ({"topic_replication_factor": 1, "topic_min_insync_replicas": 2}, "exceeds"),
        ({"topic_replication_factor": 0}, "greater than or equal to 1"),
    ],
)
def test_combinations_that_cannot_work_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        KafkaSettings.model_validate(fields)


def test_files_without_tls_and_a_key_without_a_certificate_are_refused(ca: Path) -> None:
    with pytest.raises(ValidationError, match="KAFKA_SSL_CAFILE given but security_protocol"):
        KafkaSettings(ssl_cafile=ca)
    with pytest.raises(ValidationError, match="KAFKA_SSL_KEYFILE needs KAFKA_SSL_CERTFILE"):
        KafkaSettings(security_protocol="SSL", ssl_keyfile=ca)


@pytest.mark.parametrize(
    ("brokers", "settings", "chosen"),
    [
        (1, {}, (1, 1)),
        (2, {}, (1, 1)),
        (3, {}, (3, 2)),
        (5, {}, (3, 2)),
        (None, {}, (1, 1)),
        (5, {"topic_replication_factor": 5}, (5, 2)),
        (3, {"topic_replication_factor": 2}, (2, 1)),
        (3, {"topic_min_insync_replicas": 3}, (3, 3)),
    ],
)
def test_replication_chosen_from_the_cluster_unless_set(
    brokers: int | None, settings: dict[str, int], chosen: tuple[int, int]
) -> None:
    plan = choose_replication(KafkaSettings(**settings), brokers)
    assert (plan.replication_factor, plan.min_insync_replicas) == chosen
    if not settings:
        assert "KAFKA_TOPIC_REPLICATION_FACTOR unset" in plan.reason


def test_a_replication_above_the_brokers_is_flagged() -> None:
    plan = choose_replication(KafkaSettings(topic_replication_factor=3), 1)
    assert "WARNING: the cluster reports 1 brokers" in plan.reason


def test_the_report_names_each_topic_below_the_settings() -> None:
    plan = TopicPlan(replication_factor=3, min_insync_replicas=2, brokers=3, reason="chosen")
    report = TopicsReport(
        plan=plan,
        created=("a",),
        existing=("b",),
        shortfalls=(TopicShortfall("b", 3, 1, 1, ("replication factor 1 < 3",)),),
    )
    assert report.lines() == [
        "replication factor 3, min.insync.replicas 2: chosen",
        "created 1 topics: a",
        "1 topics existed already",
        "BELOW SETTINGS b: replication factor 1 < 3 (left as it is)",
    ]
