"""The record of observed events goes: it existed only for tests, which now read the topics.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notification"


def upgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".observed_event')


def downgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE IF NOT EXISTS "{SCHEMA}".observed_event (
            event_id uuid PRIMARY KEY,
            event_type text NOT NULL,
            subject text NOT NULL,
            source text NOT NULL,
            occurred_at timestamptz NOT NULL,
            seen_at timestamptz NOT NULL DEFAULT now()
        )"""
    )
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_observed_event_subject ON "{SCHEMA}".observed_event (subject)'
    )
