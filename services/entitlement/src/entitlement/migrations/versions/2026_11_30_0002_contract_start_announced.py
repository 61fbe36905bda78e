"""Contracts remember when their start was announced (a future start raises the tier later).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".contract ADD COLUMN start_announced_at timestamptz')
    # Contracts already started were announced when signed (contract.changed created).
    op.execute(
        f'UPDATE "{SCHEMA}".contract SET start_announced_at = created_at WHERE starts_at <= now()'
    )
    # The job's queue: contracts signed ahead of their start, not yet announced.
    op.execute(
        f'CREATE INDEX ix_contract_unannounced_start ON "{SCHEMA}".contract (starts_at) '
        "WHERE start_announced_at IS NULL"
    )


def downgrade() -> None:
    op.execute(f'DROP INDEX IF EXISTS "{SCHEMA}".ix_contract_unannounced_start')
    op.execute(f'ALTER TABLE "{SCHEMA}".contract DROP COLUMN IF EXISTS start_announced_at')
