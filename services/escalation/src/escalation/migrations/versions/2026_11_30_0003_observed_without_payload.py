"""The record of observed events keeps no payload: nothing read it, and writing it cost most.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "escalation"


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".observed_event DROP COLUMN IF EXISTS data')


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".observed_event ADD COLUMN IF NOT EXISTS data jsonb')
