"""Initial schema: outbox, inbox and the record of observed events.

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

SCHEMA = "escalation"


def _observed_event_ddl() -> list[str]:
    """The record of observed events as it was then (migration 0005 drops it).

    Written out here, not imported: a migration replays the history it was written in.
    """
    return [
        f"""
        CREATE TABLE IF NOT EXISTS "{SCHEMA}".observed_event (
            event_id uuid PRIMARY KEY,
            event_type text NOT NULL,
            subject text NOT NULL,
            source text NOT NULL,
            occurred_at timestamptz NOT NULL,
            seen_at timestamptz NOT NULL DEFAULT now(),
            data jsonb NOT NULL  -- dropped by migration 0003
        )""",
        f'CREATE INDEX IF NOT EXISTS ix_observed_event_subject ON "{SCHEMA}".observed_event (subject)',
    ]


def upgrade() -> None:
    for statement in [*messaging_tables_ddl(SCHEMA), *_observed_event_ddl()]:
        op.execute(statement)


def downgrade() -> None:
    for table in ("observed_event", "inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
