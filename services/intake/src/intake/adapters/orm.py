"""Tables of the intake schema (kept in step with migrations/versions/)."""

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Interval,
    LargeBinary,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID

from intake.config import SCHEMA
from shared.db import service_metadata

metadata = service_metadata(SCHEMA)

_TS_TICKET = (
    "setweight(to_tsvector('russian', coalesce(subject, '')), 'A') "
    "|| setweight(to_tsvector('russian', coalesce(description, '')), 'B')"
)
_TS_ARTICLE = (
    "setweight(to_tsvector('russian', coalesce(title, '')), 'A') "
    "|| setweight(to_tsvector('russian', coalesce(body, '')), 'B')"
)

ticket = Table(
    "ticket",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("registration_number", Text, nullable=False, unique=True),
    Column("customer_id", UUID(as_uuid=True), nullable=False),
    Column("contact_id", UUID(as_uuid=True)),
    Column("contact_email", Text),
    Column("type", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("requested_severity", Text, nullable=False),
    Column("severity_capped", Boolean, nullable=False, server_default="false"),
    Column("tier", Text, nullable=False),
    Column("tier_priority", Integer, nullable=False, server_default="5"),
    Column("policy_version", Text, nullable=False),
    Column("calendar_version", Text),
    Column("policy", JSONB),
    Column("features", JSONB, nullable=False, server_default="{}"),
    Column("channel", Text, nullable=False),
    Column("entered_by", Text),
    Column("subject", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("product", Text),
    Column("product_version", Text),
    Column("requested_feature", Text),
    Column("attachments", JSONB, nullable=False, server_default="[]"),
    Column("status", Text, nullable=False),
    Column("assignee", Text),
    Column("support_line", Integer, nullable=False, server_default="1"),
    Column("hardware_fault", Boolean, nullable=False, server_default="false"),
    Column("hardware_fault_reason", Text),
    Column("corrective_actions", JSONB, nullable=False, server_default="[]"),
    Column("status_reason", Text),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("auto_close_at", DateTime(timezone=True)),
    Column("cr_status", Text),
    Column("cr_details", JSONB, nullable=False, server_default="{}"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("idempotency_key", Text),
    Column("idempotency_fingerprint", Text),
    Column("subtype", Text),
    Column("remote_access_available", Boolean, nullable=False, server_default="false"),
    Column("phone_confirmed_by", Text),
    Column("phone_confirmed_at", DateTime(timezone=True)),
    Column("phone_confirmation_recorded_by", Text),
    Column("analysis_report", Text),
    Column("alert_fingerprint", Text),
    Column("maintenance_occurrence_key", Text, unique=True),
    Column("search", TSVECTOR, Computed(_TS_TICKET, persisted=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

comment = Table(
    "comment",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("ticket_id", UUID(as_uuid=True), ForeignKey(ticket.c.id), nullable=False),
    Column("body", Text, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("author_kind", Text, nullable=False),
    Column("author", Text),
    Column("channel", Text),
    Column("attachments", JSONB, nullable=False, server_default="[]"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

channel_message = Table(
    "channel_message",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("customer_id", UUID(as_uuid=True), primary_key=True),
    Column("conversation", Text, primary_key=True),
    Column("external_id", Text, primary_key=True),
    Column("ticket_id", UUID(as_uuid=True), ForeignKey(ticket.c.id), nullable=False),
    Column("comment_id", UUID(as_uuid=True)),
    Column("outcome", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

ticket_sla = Table(
    "ticket_sla",
    metadata,
    Column("ticket_id", UUID(as_uuid=True), primary_key=True),
    Column("timer", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("target", Text),
    Column("due_at", DateTime(timezone=True)),
    Column("breached", Boolean, nullable=False, server_default="false"),
    Column("breached_at", DateTime(timezone=True)),
    Column("met_at", DateTime(timezone=True)),
    Column("paused_at", DateTime(timezone=True)),
    Column("last_warning_percent", Integer),
    Column("last_event_type", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

visit = Table(
    "visit",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("ticket_id", UUID(as_uuid=True), ForeignKey(ticket.c.id), nullable=False),
    Column("address", Text, nullable=False),
    Column("wished_date", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("scheduled_at", DateTime(timezone=True)),
    Column("engineer", Text),
    Column("time_spent", Interval),
    Column("done_at", DateTime(timezone=True)),
    Column("cancel_reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

kb_article = Table(
    "kb_article",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("product", Text),
    Column("tags", ARRAY(Text), nullable=False, server_default="{}"),
    Column("search", TSVECTOR, Computed(_TS_ARTICLE, persisted=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("ticket_id", UUID(as_uuid=True), ForeignKey(ticket.c.id), nullable=False),
    Column("comment_id", UUID(as_uuid=True), ForeignKey(comment.c.id)),
    Column("filename", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("declared_type", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("backend", Text, nullable=False),
    Column("storage_key", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("uploaded_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

attachment_blob = Table(
    "attachment_blob",
    metadata,
    Column("key", Text, primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
