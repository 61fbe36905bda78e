"""Tables of the sla_clock schema."""

from sqlalchemy import Column, DateTime, Table, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID

from shared.db import service_metadata

from sla_clock.config import SCHEMA

metadata = service_metadata(SCHEMA)

timer = Table(
    "timer",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("ticket_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("tier", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("target", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("ticket_id", "kind"),
)
