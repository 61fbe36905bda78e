"""Tables of the notification schema (DDL in migrations/versions/0002 and 0006)."""

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from notification.config import SCHEMA
from shared.db import service_metadata

metadata = service_metadata(SCHEMA)

customer_view = Table(
    "customer_view",
    metadata,
    Column("customer_id", UUID(as_uuid=True), primary_key=True),
    Column("timezone", Text, nullable=False),
)

contact_view = Table(
    "contact_view",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text),
    Column("email", Text),
    Column("chat_id", Text),
    Column("language", Text, nullable=False),
    Column("active", Boolean, nullable=False),
)

ticket_view = Table(
    "ticket_view",
    metadata,
    Column("ticket_id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True)),
    Column("registration_number", Text),
    Column("title", Text),
    Column("severity", Text),
    Column("severity_capped", Boolean, nullable=False, default=False),
    Column("channel", Text),
    Column("contact_id", UUID(as_uuid=True)),
    Column("contact_email", Text),
    Column("source_message_id", Text),
    Column("chat_id", Text),
    Column("response_due", DateTime(timezone=True)),
    Column("resolution_due", DateTime(timezone=True)),
)

webhook_subscription = Table(
    "webhook_subscription",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("url", Text, nullable=False),
    Column("event_types", ARRAY(Text), nullable=False),
    Column("customer_id", UUID(as_uuid=True)),
    Column("secret", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_by", Text),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("disabled_at", DateTime(timezone=True)),
    Column("disabled_reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

delivery = Table(
    "delivery",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("delivery_key", Text, nullable=False, unique=True),
    Column("channel", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("template", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("ticket_id", UUID(as_uuid=True)),
    Column("customer_id", UUID(as_uuid=True)),
    Column("subscription_id", UUID(as_uuid=True)),
    Column("source_event_id", UUID(as_uuid=True)),
    Column("source_event_type", Text),
    Column("context", JSONB, nullable=False),
    Column("in_reply_to", Text),
    Column("message_id", Text),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

delivery_attempt = Table(
    "delivery_attempt",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("delivery_id", UUID(as_uuid=True), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("status_code", Integer),
    Column("reply", Text),
    Column("latency_ms", Float, nullable=False),
)

failing_address = Table(
    "failing_address",
    metadata,
    Column("address", Text, primary_key=True),
    Column("status", Text),
    Column("diagnostic", Text),
    Column("bounced_at", DateTime(timezone=True), nullable=False),
    Column("original_message_id", Text),
    Column("inbound_id", Text),
)

sender_answer = Table(
    "sender_answer",
    metadata,
    Column("address", Text, primary_key=True),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)
