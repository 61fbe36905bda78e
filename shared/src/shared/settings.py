"""Settings shared by every service: database, broker, HTTP listener.

Each service subclasses :class:`ServiceSettings` with its own ``env_prefix``
(``INTAKE_``, ``SLA_CLOCK_`` ...). Nested values use ``__``
(``INTAKE_DATABASE__URL``). The platform-wide ``DATABASE_URL`` and
``KAFKA_BOOTSTRAP_SERVERS`` fill in whatever a service was not told
explicitly, so one pair of variables configures the whole stack.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/support"
DEFAULT_KAFKA = "127.0.0.1:9092"


def asyncpg_url(url: str) -> str:
    """Return ``url`` with the asyncpg driver, accepting plain ``postgresql://`` URLs."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url!r}")


def libpq_url(url: str) -> str:
    """Return ``url`` as plain ``postgresql://`` (asyncpg.connect, psql)."""
    return asyncpg_url(url).replace("postgresql+asyncpg://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    """Return ``url`` pointing at database ``name`` (host, socket and options kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


class DatabaseSettings(BaseModel):
    """Where the service's PostgreSQL database is; each service owns one schema in it."""

    url: str = DEFAULT_DATABASE_URL
    pool_size: int = 10
    echo: bool = False

    @model_validator(mode="after")
    def _normalise(self) -> DatabaseSettings:
        object.__setattr__(self, "url", asyncpg_url(self.url))
        return self


class KafkaSettings(BaseModel):
    """How to reach the broker.

    ``enable_idempotence`` is on for Apache Kafka; Tansu (the local broker)
    answers InitProducerId with an error, so the local stack turns it off and
    relies on the consumers' inbox to absorb duplicates.
    """

    bootstrap_servers: str = DEFAULT_KAFKA
    enable_idempotence: bool = False
    client_id: str | None = None
    request_timeout_ms: int = 10_000
    # How long an empty fetch may wait on the broker. Apache Kafka answers a waiting fetch
    # as soon as records arrive, so there a long wait costs no latency. Tansu (the local
    # broker) looks again only now and then within the wait, so on Tansu the wait trades
    # idle CPU against the delay of each hop (bench/messaging_idle.py, one idle consumer,
    # random gaps, quiet machine: 100 ms: broker 13 + consumer 8 ms/s idle, added delay
    # p50 14 / p99 51 ms; 500 ms: 4 + 4 ms/s, 104 / 250 ms; 1000 ms: about 1 + 2.5 ms/s,
    # up to half a second). A second is nothing to an email, an escalation or a status
    # that people read; a consumer on a path a caller waits for sets its own
    # (``ServiceSettings.consumer_fetch_wait_ms``: sla-clock's), as does the gateway's
    # live stream. Longer waits also mean larger batches under load: fewer transactions.
    fetch_max_wait_ms: int = 1000
    # A dead member is evicted after the session timeout; 6 s is Kafka's minimum.
    session_timeout_ms: int = 6_000
    heartbeat_interval_ms: int = 1_000


class ServiceSettings(BaseSettings):
    """Settings every service has; subclasses set ``env_prefix``."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    database: DatabaseSettings = DatabaseSettings()
    kafka: KafkaSettings = KafkaSettings()
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    # Components of the one process; a replica may run only some of them.
    run_consumer: bool = True
    run_relay: bool = True
    # A safety net only: commits wake the relay at once (in-process, or NOTIFY from another).
    outbox_poll_seconds: float = 2.0
    # Published outbox rows are kept this long, to republish to a broker that lost its log
    # (an in-memory broker restarted, a cluster restored from a snapshot).
    outbox_retention_days: float = 7.0
    # How often the relay checks that the broker still holds what it published.
    broker_check_seconds: float = 10.0
    consumer_max_attempts: int = 5
    # This service's consumer's fetch wait; None: the platform's (``kafka.fetch_max_wait_ms``).
    consumer_fetch_wait_ms: int | None = None
    # The gateway's proof on the internal hop (``x-internal-token``); also read from the
    # platform-wide INTERNAL_TOKEN. Empty: the service answers no API request (shared.auth).
    internal_token: str = ""
    # How many replicas of each process run (platform-wide REPLICAS).
    replicas: int = 1

    def consumer_kafka(self) -> KafkaSettings:
        """The broker settings of this service's consumer (its own fetch wait, if it has one)."""
        if self.consumer_fetch_wait_ms is None:
            return self.kafka
        return self.kafka.model_copy(update={"fetch_max_wait_ms": self.consumer_fetch_wait_ms})

    @model_validator(mode="before")
    @classmethod
    def _platform_defaults(cls, data: Any) -> Any:
        """Fill database URL and brokers from the platform-wide variables."""
        if not isinstance(data, dict):
            return data
        database = data.setdefault("database", {})
        kafka = data.setdefault("kafka", {})
        if isinstance(database, dict) and "url" not in database and os.environ.get("DATABASE_URL"):
            database["url"] = os.environ["DATABASE_URL"]
        if "internal_token" not in data and os.environ.get("INTERNAL_TOKEN"):
            data["internal_token"] = os.environ["INTERNAL_TOKEN"]
        if "replicas" not in data and os.environ.get("REPLICAS"):
            data["replicas"] = os.environ["REPLICAS"]
        if isinstance(kafka, dict):
            if "bootstrap_servers" not in kafka and os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
                kafka["bootstrap_servers"] = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
            if "enable_idempotence" not in kafka and os.environ.get("KAFKA_ENABLE_IDEMPOTENCE"):
                kafka["enable_idempotence"] = os.environ["KAFKA_ENABLE_IDEMPOTENCE"]
        return data
