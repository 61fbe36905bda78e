"""Failing addresses (bounced mail) and the answers sent to unknown senders.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notification"


def upgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE IF NOT EXISTS "{SCHEMA}".failing_address (
            address text PRIMARY KEY,
            status text,
            diagnostic text,
            bounced_at timestamptz NOT NULL,
            original_message_id text,
            inbound_id text
        )"""
    )
    # One row per address answered: the rate limit is one conditional upsert on it.
    op.execute(
        f"""
        CREATE TABLE IF NOT EXISTS "{SCHEMA}".sender_answer (
            address text PRIMARY KEY,
            answered_at timestamptz NOT NULL
        )"""
    )


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".sender_answer')
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".failing_address')
