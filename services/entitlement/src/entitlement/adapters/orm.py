"""Tables of the entitlement schema (kept in step with migrations/versions)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Interval,
    SmallInteger,
    Table,
    Text,
    Time,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from entitlement.config import SCHEMA
from shared.db import service_metadata

metadata = service_metadata(SCHEMA)

customer = Table(
    "customer",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("trained_specialists", Integer, nullable=False, server_default="0"),
    Column("warranty_until", Date, nullable=True),
    Column("products", ARRAY(Text), nullable=False, server_default="{}"),
    Column("timezone", Text, nullable=False, server_default="Europe/Moscow"),
    Column("calendar_version", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Counts the changes that can alter the customer's entitlement answer (events carry it
    # as entitlement_version; readers of the change signal compare it).
    Column("change_version", BigInteger, nullable=False, server_default="0"),
)

contact = Table(
    "contact",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True), ForeignKey(customer.c.id), nullable=False),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("phone", Text, nullable=True),
    Column("chat_id", Text, nullable=True),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("language", Text, nullable=False, server_default="ru"),
)

policy = Table(
    "policy",
    metadata,
    Column("version", Text, primary_key=True),
    Column("contract_id", UUID(as_uuid=True), nullable=True),
    Column("document", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

contract = Table(
    "contract",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True), ForeignKey(customer.c.id), nullable=False),
    Column("tier", Text, nullable=False),
    Column("tier_rank", SmallInteger, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("dedicated_manager", JSONB, nullable=True),  # {staff_id} or {name, email}
    Column("dedicated_engineer", JSONB, nullable=True),
    Column("escalation_policy", JSONB, nullable=True),  # the contract's own (escalation reads it)
    # Monitoring alerts (premium): the label whose value names the severity, and the map.
    Column("alert_severity_map", JSONB, nullable=True),
    Column("alert_severity_label", Text, nullable=True),
    Column("policy_version", Text, nullable=False),
    Column("shortened_pre_holidays", Boolean, nullable=False, server_default="false"),
    Column("expired_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # When its start was announced (contract.changed change=started); set at signing for
    # a contract already started, by the job for one signed ahead of its start.
    Column("start_announced_at", DateTime(timezone=True), nullable=True),
)

calendar = Table(
    "calendar",
    metadata,
    Column("version", Text, primary_key=True),
    Column("customer_id", UUID(as_uuid=True), ForeignKey(customer.c.id), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("overrides", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

release = Table(
    "release",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("product", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("customer_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    Column("published_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

maintenance_plan = Table(
    "maintenance_plan",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("customer_id", UUID(as_uuid=True), ForeignKey(customer.c.id), nullable=False),
    Column("contract_id", UUID(as_uuid=True), nullable=True),
    Column("contact_id", UUID(as_uuid=True), nullable=True),  # whom the tickets are for
    Column("what", Text, nullable=False),
    Column("frequency", Text, nullable=False),
    Column("rrule", Text, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("starts_at", DateTime(timezone=False), nullable=False),  # local wall-clock time
    Column("lead", Interval, nullable=False),
    Column("window", Text, nullable=False),
    Column("agreed_weekdays", ARRAY(SmallInteger), nullable=True),
    Column("agreed_starts", Time, nullable=True),
    Column("agreed_ends", Time, nullable=True),
    Column("outside_window", Text, nullable=False),
    Column("due_until", DateTime(timezone=True), nullable=False),  # the scheduler's watermark
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

maintenance_override = Table(
    "maintenance_override",
    metadata,
    Column("occurrence_key", Text, primary_key=True),
    Column(
        "plan_id",
        UUID(as_uuid=True),
        ForeignKey(maintenance_plan.c.id, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("kind", Text, nullable=False),
    Column("to_at", DateTime(timezone=True), nullable=True),
    Column("reason", Text, nullable=False),
    Column("decided_by", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

maintenance_occurrence = Table(
    "maintenance_occurrence",
    metadata,
    Column("occurrence_key", Text, primary_key=True),  # the exactly-once key
    Column(
        "plan_id",
        UUID(as_uuid=True),
        ForeignKey(maintenance_plan.c.id, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("occurrence_id", UUID(as_uuid=True), nullable=False),
    Column("original_at", DateTime(timezone=True), nullable=False),
    Column("scheduled_at", DateTime(timezone=True), nullable=True),
    Column("outcome", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("announced_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
