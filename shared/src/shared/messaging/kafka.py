"""aiokafka clients configured the same way everywhere, and the platform's topics."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError, for_code
from aiokafka.helpers import create_ssl_context
from aiokafka.protocol.metadata import MetadataRequest

from shared.events.topics import ALL_TOPICS
from shared.logging import get_logger
from shared.settings import KafkaSettings

log = get_logger(__name__)


def _never_create_topics_on_demand() -> None:
    """Make every metadata request of this process ask the broker not to create topics.

    aiokafka asks for auto-creation by default. A broker that restarted empty would
    then create a topic on the first send with its own default partition count,
    which remaps keys (breaking per-ticket order) and hides the loss from the relay.
    Topics are created only by :func:`ensure_topics`, with the platform's count.
    """
    original = MetadataRequest.__init__
    if getattr(original, "_no_auto_create", False):
        return

    def init(
        self: MetadataRequest,
        topics: list[str] | None = None,
        allow_auto_topic_creation: bool | None = False,
    ) -> None:
        original(self, topics, allow_auto_topic_creation)

    init._no_auto_create = True  # type: ignore[attr-defined]
    MetadataRequest.__init__ = init


_never_create_topics_on_demand()


def client_options(settings: KafkaSettings) -> dict[str, Any]:
    """Where the brokers are and how to connect securely: spread into every aiokafka client.

    The one place that turns :class:`KafkaSettings` into connection options, so no
    producer, consumer or admin client of the platform can be left in plaintext by
    forgetting one (``shared/tests/unit/test_kafka_client_options.py`` checks the sources).
    """
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        # No CA file: the system's trust store (what a managed Kafka's certificate chains to).
        options["ssl_context"] = create_ssl_context(
            cafile=settings.ssl_cafile,
            certfile=settings.ssl_certfile,
            keyfile=settings.ssl_keyfile,
        )
    if settings.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL"):
        password = settings.sasl_password
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = password.get_secret_value() if password else None
    return options


def make_producer(settings: KafkaSettings, *, client_id: str) -> AIOKafkaProducer:
    """A producer that waits for all in-sync replicas; idempotent where the broker allows."""
    return AIOKafkaProducer(
        **client_options(settings),
        client_id=settings.client_id or client_id,
        acks="all",
        enable_idempotence=settings.enable_idempotence,
        request_timeout_ms=settings.request_timeout_ms,
        linger_ms=2,
    )


def make_admin(settings: KafkaSettings, *, client_id: str) -> AIOKafkaAdminClient:
    """An admin client on the platform's brokers, with the platform's security settings."""
    return AIOKafkaAdminClient(
        **client_options(settings),
        client_id=settings.client_id or client_id,
        request_timeout_ms=settings.request_timeout_ms,
    )


@dataclass(frozen=True)
class TopicPlan:
    """The replication new topics get, and why."""

    replication_factor: int
    min_insync_replicas: int
    brokers: int | None  # as the cluster described itself; None: it did not say
    reason: str


@dataclass(frozen=True)
class TopicShortfall:
    """An existing topic below what the settings ask for (reported, never changed here)."""

    topic: str
    partitions: int
    replication_factor: int
    min_insync_replicas: int | None  # None: the broker did not say
    problems: tuple[str, ...]


@dataclass(frozen=True)
class TopicsReport:
    """What :func:`ensure_topics` chose, created and found lacking."""

    plan: TopicPlan
    created: tuple[str, ...]
    existing: tuple[str, ...]
    shortfalls: tuple[TopicShortfall, ...] = ()
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as lines for a person (``deskstack init`` prints them)."""
        plan = self.plan
        out = [
            f"replication factor {plan.replication_factor}, "
            f"min.insync.replicas {plan.min_insync_replicas}: {plan.reason}"
        ]
        if self.created:
            out.append(f"created {len(self.created)} topics: {', '.join(self.created)}")
        if self.existing:
            out.append(f"{len(self.existing)} topics existed already")
        for s in self.shortfalls:
            out.append(f"BELOW SETTINGS {s.topic}: {'; '.join(s.problems)} (left as it is)")
        if self.existing and not self.shortfalls:
            out.append("every existing topic meets the settings")
        out.extend(f"note: {note}" for note in self.notes)
        return out


class TopicsRefused(RuntimeError):
    """The cluster refused to create topics as asked (not a transient failure: no retry)."""


def choose_replication(settings: KafkaSettings, brokers: int | None) -> TopicPlan:
    """The settings' replication, else 3 / 2 on three or more brokers and 1 / 1 below that."""
    rf = settings.topic_replication_factor
    isr = settings.topic_min_insync_replicas
    size = "an unknown number of" if brokers is None else str(brokers)
    if rf is None:
        rf = 3 if (brokers or 0) >= 3 else 1
        why_rf = f"chosen for a cluster of {size} brokers (KAFKA_TOPIC_REPLICATION_FACTOR unset)"
    else:
        why_rf = "from KAFKA_TOPIC_REPLICATION_FACTOR"
    if isr is None:
        # One replica may be down while writes with acks=all still succeed.
        isr = max(1, min(2, rf - 1))
        why_isr = "min.insync.replicas chosen from the replication factor"
    else:
        why_isr = "min.insync.replicas from KAFKA_TOPIC_MIN_INSYNC_REPLICAS"
    reason = f"replication {why_rf}; {why_isr}"
    if brokers is not None and rf > brokers:
        reason += (
            f"; WARNING: the cluster reports {brokers} brokers, fewer than the replication "
            "factor (Apache Kafka refuses to create such topics)"
        )
    return TopicPlan(replication_factor=rf, min_insync_replicas=isr, brokers=brokers, reason=reason)


async def _broker_count(admin: AIOKafkaAdminClient) -> tuple[int | None, list[str]]:
    """How many brokers the cluster reports, or None and a note when it does not answer."""
    try:
        cluster = await admin.describe_cluster()
    except Exception as exc:
        return None, [f"the cluster did not describe itself ({exc!r}): replication 1 / 1"]
    brokers = cluster.get("brokers") or []
    if not brokers:
        return None, ["the cluster described no brokers: replication 1 / 1"]
    return len(brokers), []


async def _min_insync(
    admin: AIOKafkaAdminClient, topics: list[str]
) -> tuple[dict[str, int], list[str]]:
    """Each topic's ``min.insync.replicas`` as the broker reports it (some brokers cannot)."""
    if not topics:
        return {}, []
    try:
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, t) for t in topics]
        )
    except Exception as exc:
        return {}, [f"the broker did not describe topic configs ({exc!r}): ISR not checked"]
    found: dict[str, int] = {}
    for response in responses:
        for resource in response.resources:
            # (error_code, error_message, resource_type, resource_name, config_entries)
            name, entries = resource[3], resource[4]
            for entry in entries:
                if entry[0] == "min.insync.replicas" and entry[1] is not None:
                    found[name] = int(entry[1])
    unknown = [t for t in topics if t not in found]
    notes = (
        [f"the broker reported no min.insync.replicas for {', '.join(unknown)}"] if unknown else []
    )
    return found, notes


async def _shortfalls(
    admin: AIOKafkaAdminClient, topics: list[str], *, partitions: int, plan: TopicPlan
) -> tuple[list[TopicShortfall], list[str]]:
    """Existing topics with fewer partitions, replicas or in-sync replicas than asked for."""
    if not topics:
        return [], []
    described = await admin.describe_topics(topics)
    isr, notes = await _min_insync(admin, topics)
    found: list[TopicShortfall] = []
    for topic in described:
        name = topic["topic"]
        if topic["error_code"] != 0:
            notes.append(f"{name}: the broker answered error {topic['error_code']}")
            continue
        count = len(topic["partitions"])
        rf = min((len(p["replicas"]) for p in topic["partitions"]), default=0)
        problems = []
        if count < partitions:
            problems.append(f"{count} partitions < {partitions}")
        if rf < plan.replication_factor:
            problems.append(f"replication factor {rf} < {plan.replication_factor}")
        topic_isr = isr.get(name)
        if topic_isr is not None and topic_isr < plan.min_insync_replicas:
            problems.append(f"min.insync.replicas {topic_isr} < {plan.min_insync_replicas}")
        if problems:
            found.append(TopicShortfall(name, count, rf, topic_isr, tuple(problems)))
    return found, notes


async def _ensure_on(
    admin: AIOKafkaAdminClient, settings: KafkaSettings, topics: list[str], partitions: int
) -> TopicsReport:
    brokers, notes = await _broker_count(admin)
    plan = choose_replication(settings, brokers)
    existing = set(await admin.list_topics())
    missing = [t for t in topics if t not in existing]
    created: list[str] = []
    if missing:
        config = {"min.insync.replicas": str(plan.min_insync_replicas)}
        response = await admin.create_topics(
            [
                NewTopic(t, partitions, plan.replication_factor, topic_configs=config)
                for t in missing
            ]
        )
        refused = []
        for entry in response.topic_errors:  # (topic, error_code[, error_message])
            if entry[1] == 0:
                created.append(entry[0])
            elif entry[1] != TopicAlreadyExistsError.errno:  # a concurrent creator won
                message = entry[2] if len(entry) > 2 else None
                refused.append(f"{entry[0]}: {for_code(entry[1]).__name__} {message or ''}")
        if refused:
            raise TopicsRefused(
                f"the cluster refused to create topics with replication factor "
                f"{plan.replication_factor} and min.insync.replicas "
                f"{plan.min_insync_replicas}: {'; '.join(refused)}"
            )
    present = [t for t in topics if t in existing]
    shortfalls, more = await _shortfalls(admin, present, partitions=partitions, plan=plan)
    report = TopicsReport(
        plan=plan,
        created=tuple(created),
        existing=tuple(present),
        shortfalls=tuple(shortfalls),
        notes=tuple(notes + more),
    )
    log.info(
        "topics ensured",
        replication_factor=plan.replication_factor,
        min_insync_replicas=plan.min_insync_replicas,
        brokers=plan.brokers,
        reason=plan.reason,
        created=created,
    )
    for s in shortfalls:
        log.warning("topic below the settings", topic=s.topic, problems=list(s.problems))
    return report


async def ensure_topics(
    settings: KafkaSettings,
    topics: Iterable[str] = ALL_TOPICS,
    *,
    partitions: int | None = None,
    attempts: int = 30,
) -> TopicsReport:
    """Create any missing topic with the chosen replication; report existing ones below it.

    Tansu never creates topics on demand, and the platform asks no broker to (see
    :func:`_never_create_topics_on_demand`), so this is where every topic comes from.
    Existing topics are never altered: raising a topic's replication or partition count
    moves data (and remaps keys), which an operator should decide.
    """
    wanted = list(topics)
    partitions = settings.topic_partitions if partitions is None else partitions
    last: Exception | None = None
    for _ in range(attempts):
        admin = make_admin(settings, client_id="ensure-topics")
        try:
            await admin.start()
            return await _ensure_on(admin, settings, wanted, partitions)
        except TopicsRefused:
            raise
        except Exception as exc:  # broker not up yet: retry with a pause
            last = exc
            await asyncio.sleep(0.5)
        finally:
            await admin.close()
    raise RuntimeError(f"could not create topics at {settings.bootstrap_servers}: {last!r}")
