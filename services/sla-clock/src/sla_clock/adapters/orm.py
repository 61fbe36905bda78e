"""Tables of the sla_clock schema (kept in step with migrations/versions)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Identity,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.db import service_metadata
from sla_clock.config import SCHEMA

metadata = service_metadata(SCHEMA)

ticket_event = Table(
    "ticket_event",
    metadata,
    Column("seq", BigInteger, Identity(always=True), primary_key=True),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("ticket_id", UUID(as_uuid=True), nullable=False),
    Column("type", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("data", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

ticket_clock = Table(
    "ticket_clock",
    metadata,
    Column("ticket_id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True)),
    Column("tier", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("policy_version", Text),
    Column("calendar_version", Text),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("state", JSONB, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

timer = Table(
    "timer",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("ticket_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("customer_id", UUID(as_uuid=True)),
    Column("tier", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("target", Text),
    Column("policy_version", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("reason", Text),
    Column("worked_seconds", Float),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("ticket_id", "kind"),
)

timer_alarm = Table(
    "timer_alarm",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("timer_id", UUID(as_uuid=True), nullable=False),
    Column("ticket_id", UUID(as_uuid=True), nullable=False),
    Column("timer", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("percent", Integer, nullable=False),
    Column("fire_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("customer_id", UUID(as_uuid=True)),
    Column("tier", Text),
    Column("severity", Text),
    Column("target", Text),
    Column("policy_version", Text),
    Column("fired_at", DateTime(timezone=True)),
    Column("late", Boolean),
    Column("event_id", UUID(as_uuid=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # One alarm per instant: a recomputed deadline gets alarms of its own.
    UniqueConstraint("timer_id", "kind", "percent", "fire_at"),
)
