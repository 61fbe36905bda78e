"""Contracts name their dedicated people with an address, and may carry an escalation policy.

The old free-text names become ``{"name": ...}`` documents; a person is now a staff
reference ``{"staff_id": ...}`` or ``{"name", "email"}`` so escalation can tell them.

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

SCHEMA = "entitlement"


def upgrade() -> None:
    for column in ("dedicated_manager", "dedicated_engineer"):
        op.execute(
            f'ALTER TABLE "{SCHEMA}".contract ALTER COLUMN {column} TYPE jsonb USING '
            f"CASE WHEN {column} IS NULL THEN NULL ELSE jsonb_build_object('name', {column}) END"
        )
    op.execute(f'ALTER TABLE "{SCHEMA}".contract ADD COLUMN escalation_policy jsonb')


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".contract DROP COLUMN escalation_policy')
    for column in ("dedicated_manager", "dedicated_engineer"):
        op.execute(
            f'ALTER TABLE "{SCHEMA}".contract ALTER COLUMN {column} TYPE text '
            f"USING coalesce({column}->>'name', {column}->>'email', {column}->>'staff_id')"
        )
