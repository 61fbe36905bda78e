"""Initial schema: timers, outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

from shared.db import messaging_tables_ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "sla_clock"


def upgrade() -> None:
    for statement in messaging_tables_ddl(SCHEMA):
        op.execute(statement)
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".timer (
            id uuid PRIMARY KEY,
            ticket_id uuid NOT NULL,
            kind text NOT NULL,
            state text NOT NULL,
            tier text NOT NULL,
            severity text NOT NULL,
            target text,
            started_at timestamptz NOT NULL,
            due_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT uq_timer_ticket_kind UNIQUE (ticket_id, kind)
        )""")


def downgrade() -> None:
    for table in ("timer", "inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
