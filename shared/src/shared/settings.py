"""Settings shared by every service: database, broker, HTTP listener.

Each service subclasses :class:`ServiceSettings` with its own ``env_prefix``
(``INTAKE_``, ``SLA_CLOCK_`` ...). Nested values use ``__``
(``INTAKE_DATABASE__URL``). The platform-wide ``DATABASE_URL`` and ``KAFKA_*``
variables (``KAFKA_BOOTSTRAP_SERVERS``, ``KAFKA_SECURITY_PROTOCOL`` ...: every
field of :class:`KafkaSettings` in :data:`KAFKA_PLATFORM_FIELDS`) fill in
whatever a service was not told explicitly, so one set of variables configures
the whole stack; ``REPLICAS`` likewise fills each service's ``replicas``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.events.topics import PARTITIONS

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

    # libpq's TLS parameters may ride along: ?sslmode=verify-full&sslrootcert=/ca.crt
    # (shared.pgconnect gives them to every connection, docs/database.md).
    url: str = DEFAULT_DATABASE_URL
    # Kept open by the engine, and opened on top of them under load then closed. With the
    # process's dedicated connections they are its budget (shared.budget): two replicas of
    # every process must fit in PostgreSQL's default 100 connections.
    pool_size: int = Field(default=4, ge=1)
    max_overflow: int = Field(default=2, ge=0)
    echo: bool = False

    @model_validator(mode="after")
    def _normalise(self) -> DatabaseSettings:
        object.__setattr__(self, "url", asyncpg_url(self.url))
        return self


SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]

# The fields of KafkaSettings that the platform-wide ``KAFKA_<FIELD>`` variables fill in.
KAFKA_PLATFORM_FIELDS = (
    "bootstrap_servers",
    "enable_idempotence",
    "security_protocol",
    "sasl_mechanism",
    "sasl_username",
    "sasl_password",
    "ssl_cafile",
    "ssl_certfile",
    "ssl_keyfile",
    "topic_partitions",
    "topic_replication_factor",
    "topic_min_insync_replicas",
)


def kafka_platform_env() -> dict[str, str]:
    """The platform-wide ``KAFKA_*`` variables that are set (and not empty), by field name."""
    found: dict[str, str] = {}
    for name in KAFKA_PLATFORM_FIELDS:
        value = os.environ.get(f"KAFKA_{name.upper()}")
        if value:
            found[name] = value
    return found


class KafkaSettings(BaseModel):
    """How to reach the broker, and how to create the platform's topics on it.

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
    # This is the wait of an idle consumer; one that someone waits on sets a shorter wait
    # for while records flow (``fetch_busy_wait_ms``, shared.messaging.fetch_pace), kept
    # until ``fetch_busy_seconds`` pass without a record.
    fetch_max_wait_ms: int = 1000
    fetch_busy_wait_ms: int | None = Field(default=None, ge=0)
    fetch_busy_seconds: float = Field(default=2.0, ge=0)
    # A consumer that has had no record for ``idle_sleep_after_seconds`` stops fetching
    # until a relay rings the doorbell (a NOTIFY with the round's commit) for one of its
    # topics, or ``idle_sleep_seconds`` pass (shared.messaging.doorbell). None: never
    # sleeps. Only where its process listens (a relay runs beside it).
    idle_sleep_after_seconds: float | None = Field(default=5.0, ge=2.0)
    idle_sleep_seconds: float = Field(default=10.0, gt=0)
    # A dead member is evicted after the session timeout (6 s is Kafka's minimum). A member
    # hears of a rebalance with its next heartbeat; a third of the session is Kafka's
    # advice, and each heartbeat is a request an idle broker answers: once the idle
    # consumers slept and the safety polls stretched, heartbeats were most of an idle
    # stack's CPU (Tansu's most of all). 10 s and 3 s are Kafka's long-standing defaults:
    # a third fewer heartbeats than 6 s and 2 s, for a SIGKILLed member's partitions
    # moving 4 s later (a stopped one leaves its group at once).
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    # Security towards the brokers (shared.messaging.kafka.client_options hands these to
    # every producer, consumer and admin client). SSL files are PEM; a client certificate
    # (mTLS) may hold its key too, else ssl_keyfile names it.
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    # Topics created by ensure_topics (deskstack init). The partition count bounds how many
    # replicas of one service consume in parallel (docs/deploy.md, "Capacity"); it is chosen
    # when a topic is created, since adding partitions later remaps keys (per-ticket order).
    topic_partitions: int = Field(default=PARTITIONS, ge=1)
    # None: chosen from the cluster's size.
    topic_replication_factor: int | None = Field(default=None, ge=1)
    topic_min_insync_replicas: int | None = Field(default=None, ge=1)

    @classmethod
    def from_env(cls, **explicit: Any) -> KafkaSettings:
        """Settings from the platform-wide ``KAFKA_*`` variables; ``explicit`` values win."""
        return cls.model_validate({**kafka_platform_env(), **explicit})

    @field_validator("security_protocol", "sasl_mechanism", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(
        "sasl_mechanism",
        "sasl_username",
        "ssl_cafile",
        "ssl_certfile",
        "ssl_keyfile",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _coherent(self) -> KafkaSettings:
        """Refuse combinations that would fail at the first connection, or silently do nothing."""
        sasl = self.security_protocol.startswith("SASL_")
        tls = self.security_protocol.endswith("SSL")
        if sasl:
            missing = [
                f"KAFKA_{name.upper()}"
                for name in ("sasl_mechanism", "sasl_username", "sasl_password")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(
                    f"security_protocol {self.security_protocol} needs {', '.join(missing)}"
                )
        elif self.sasl_mechanism or self.sasl_username or self.sasl_password:
            raise ValueError(
                f"SASL settings are given but security_protocol is {self.security_protocol}; "
                "use SASL_SSL (or SASL_PLAINTEXT)"
            )
        files = {
            "ssl_cafile": self.ssl_cafile,
            "ssl_certfile": self.ssl_certfile,
            "ssl_keyfile": self.ssl_keyfile,
        }
        given = {name: path for name, path in files.items() if path is not None}
        if given and not tls:
            raise ValueError(
                f"{', '.join(f'KAFKA_{n.upper()}' for n in given)} given but security_protocol "
                f"is {self.security_protocol}; use SSL or SASL_SSL"
            )
        for name, path in given.items():
            if not path.is_file():
                raise ValueError(f"KAFKA_{name.upper()}: no such file: {path}")
        if self.ssl_keyfile is not None and self.ssl_certfile is None:
            raise ValueError("KAFKA_SSL_KEYFILE needs KAFKA_SSL_CERTFILE (the client certificate)")
        rf, isr = self.topic_replication_factor, self.topic_min_insync_replicas
        if rf is not None and isr is not None and isr > rf:
            raise ValueError(
                f"KAFKA_TOPIC_MIN_INSYNC_REPLICAS ({isr}) exceeds "
                f"KAFKA_TOPIC_REPLICATION_FACTOR ({rf}): no write could ever succeed"
            )
        return self


class ServiceSettings(BaseSettings):
    """Settings every service has; subclasses set ``env_prefix``."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    database: DatabaseSettings = DatabaseSettings()
    kafka: KafkaSettings = KafkaSettings()
    host: str = "127.0.0.1"
    port: int = 8000
    # How many processes of this service run (also read from the platform-wide REPLICAS):
    # the start-up check multiplies the connection budget by it, and each gateway admits
    # its share of a key's rate limit.
    replicas: int = Field(default=1, ge=1)
    log_level: str = "INFO"
    log_json: bool = True
    # Components of the one process; a replica may run only some of them.
    run_consumer: bool = True
    run_relay: bool = True
    # A safety net only: commits wake the relay at once (in-process, or NOTIFY from another),
    # so this bounds only how late a row is published whose NOTIFY was missed (a listening
    # connection lost and reopened); each pass is a transaction in every service. While
    # rounds find nothing and the relay listens, it stretches to 30 s (QuietStretch).
    outbox_poll_seconds: float = 5.0
    # Published outbox rows are kept this long, to republish to a broker that lost its log
    # (an in-memory broker restarted, a cluster restored from a snapshot).
    outbox_retention_days: float = 7.0
    # How often the relay checks that the broker still holds what it published.
    broker_check_seconds: float = 10.0
    consumer_max_attempts: int = 5
    # This service's consumer's fetch wait while records flow (shared.messaging.fetch_pace);
    # None: the platform's (``kafka.fetch_busy_wait_ms``, else ``kafka.fetch_max_wait_ms``).
    # An idle consumer waits ``kafka.fetch_max_wait_ms`` either way.
    consumer_fetch_wait_ms: int | None = None
    # How far this process steps back when the machine's cores are contended (``nice``):
    # where every process of the platform shares one machine (``make run``), the ones
    # nobody waits on in a request yield to the request path and to sla-clock. No effect
    # where each process has cores of its own (a Kubernetes pod's CPU request).
    cpu_nice: int = Field(default=0, ge=0, le=19)
    # The gateway's proof on the internal hop (``x-internal-token``); also read from the
    # platform-wide INTERNAL_TOKEN. Empty: the service answers no API request (shared.auth).
    internal_token: str = ""

    def consumer_kafka(self) -> KafkaSettings:
        """The broker settings of this service's consumer (its own busy wait, if it has one)."""
        if self.consumer_fetch_wait_ms is None:
            return self.kafka
        return self.kafka.model_copy(update={"fetch_busy_wait_ms": self.consumer_fetch_wait_ms})

    @model_validator(mode="before")
    @classmethod
    def _platform_defaults(cls, data: Any) -> Any:
        """Fill the database URL and the broker settings from the platform-wide variables."""
        if not isinstance(data, dict):
            return data
        database = data.setdefault("database", {})
        kafka = data.setdefault("kafka", {})
        if isinstance(database, dict) and "url" not in database and os.environ.get("DATABASE_URL"):
            database["url"] = os.environ["DATABASE_URL"]
        if "replicas" not in data and os.environ.get("REPLICAS"):
            data["replicas"] = os.environ["REPLICAS"]
        if "internal_token" not in data and os.environ.get("INTERNAL_TOKEN"):
            data["internal_token"] = os.environ["INTERNAL_TOKEN"]
        if isinstance(kafka, dict):
            # <PREFIX>KAFKA__<FIELD> (already in ``kafka``) wins over KAFKA_<FIELD>.
            for name, value in kafka_platform_env().items():
                kafka.setdefault(name, value)
        return data
