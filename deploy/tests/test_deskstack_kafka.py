"""`deskstack init` / `make run` and the Kafka settings: the replication printed, and
security settings refused for the local plaintext broker."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstack.infra import create_topics, resolve


def test_tls_settings_without_a_cluster_are_refused_before_anything_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("KAFKA_SSL_CAFILE", "/etc/ca.pem")
    with pytest.raises(RuntimeError, match="KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_CAFILE set without"):
        resolve(var_dir=tmp_path / "var")
    assert not (tmp_path / "var").exists()


@pytest.mark.kafka
def test_create_topics_prints_the_choice_and_the_report(
    kafka_bootstrap: tuple[str, bool], capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap, _ = kafka_bootstrap
    report = create_topics(bootstrap)  # the session's broker has every topic already
    out = capsys.readouterr().out
    assert report.plan.brokers == 1
    assert "topics: replication factor 1, min.insync.replicas 1: replication chosen for a " in out
    assert "cluster of 1 brokers (KAFKA_TOPIC_REPLICATION_FACTOR unset)" in out
    assert "topics: every existing topic meets the settings" in out
