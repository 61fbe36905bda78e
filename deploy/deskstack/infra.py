"""Resolve PostgreSQL and Kafka for `make run`: what the environment names, else embedded servers.

The starters themselves live in :mod:`shared.infra` (the tests use them too); this
module only decides, from the environment, which to start.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from shared.events.topics import ALL_TOPICS
from shared.infra.net import port_open
from shared.infra.postgres import DEFAULT_DB_NAME, ensure_database, start_embedded_postgres
from shared.infra.tansu import start_tansu
from shared.messaging.kafka import TopicsReport, ensure_topics
from shared.settings import KafkaSettings, asyncpg_url, kafka_platform_env, with_database


@dataclass
class Infra:
    """What the stack runs on, and how to stop what it started itself."""

    database_url: str
    bootstrap: str
    idempotence: bool
    started: list[str] = field(default_factory=list)
    _broker: subprocess.Popen[bytes] | None = None
    _postgres: object | None = None

    def stop(self) -> None:
        if self._broker is not None and self._broker.poll() is None:
            self._broker.terminate()
            try:
                self._broker.wait(10)
            except subprocess.TimeoutExpired:
                self._broker.kill()
        self._broker = None


def create_topics(bootstrap: str) -> TopicsReport:
    """Create every platform topic on ``bootstrap``; print the replication chosen and the report.

    The security and topic settings come from the platform-wide ``KAFKA_*`` variables,
    as the services read them.
    """
    kafka = KafkaSettings.from_env(bootstrap_servers=bootstrap)
    report = asyncio.run(ensure_topics(kafka, ALL_TOPICS))
    for line in report.lines():
        print(f"  topics: {line}", flush=True)
    return report


def refuse_security_without_brokers() -> None:
    """Fail before starting anything when TLS/SASL is asked of the local broker (plaintext only)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return
    secured = sorted(
        f"KAFKA_{name.upper()}"
        for name, value in kafka_platform_env().items()
        if name.startswith(("sasl", "ssl"))
        or (name == "security_protocol" and value.strip().upper() != "PLAINTEXT")
    )
    if secured:
        raise RuntimeError(
            f"{', '.join(secured)} set without KAFKA_BOOTSTRAP_SERVERS: the local Tansu "
            "broker takes plaintext only; name the secured cluster or unset them"
        )


def resolve(
    *, var_dir: Path, kafka_port: int = 9092, database_name: str = DEFAULT_DB_NAME
) -> Infra:
    """PostgreSQL from ``DATABASE_URL`` else embedded; Kafka from ``KAFKA_BOOTSTRAP_SERVERS`` else Tansu."""
    refuse_security_without_brokers()
    var_dir.mkdir(parents=True, exist_ok=True)
    started: list[str] = []
    postgres: object | None = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        uri, postgres = start_embedded_postgres(var_dir / "postgres")
        database_url = with_database(uri, database_name)
        started.append(f"embedded PostgreSQL (data in {var_dir / 'postgres'})")
    database_url = asyncpg_url(database_url)
    asyncio.run(ensure_database(database_url))

    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker: subprocess.Popen[bytes] | None = None
    if bootstrap:
        idempotence = os.environ.get("KAFKA_ENABLE_IDEMPOTENCE", "true").lower() == "true"
    else:
        if port_open("127.0.0.1", kafka_port):
            raise RuntimeError(
                f"port {kafka_port} is taken; stop what listens there or set KAFKA_BOOTSTRAP_SERVERS"
            )
        broker = start_tansu(kafka_port, log_path=var_dir / "tansu.log")
        bootstrap = f"127.0.0.1:{kafka_port}"
        idempotence = False  # Tansu answers InitProducerId with an error
        started.append(f"Tansu broker on {bootstrap} (memory only; log in {var_dir / 'tansu.log'})")
    infra = Infra(
        database_url=database_url, bootstrap=bootstrap, idempotence=idempotence, started=started
    )
    infra._broker = broker
    infra._postgres = postgres
    return infra
