"""Tables of the intake schema."""

from sqlalchemy import Boolean, Column, DateTime, Integer, Table, Text, func
from sqlalchemy.dialects.postgresql import UUID

from shared.db import service_metadata

from intake.config import SCHEMA

metadata = service_metadata(SCHEMA)

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
    Column("policy_version", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("product", Text),
    Column("product_version", Text),
    Column("status", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("idempotency_key", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
