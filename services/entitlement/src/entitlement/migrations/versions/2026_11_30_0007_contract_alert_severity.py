"""A contract's own mapping of a monitoring alert's severity label to ticket severities.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    op.execute(
        f'ALTER TABLE "{SCHEMA}".contract ADD COLUMN IF NOT EXISTS alert_severity_map jsonb, '
        "ADD COLUMN IF NOT EXISTS alert_severity_label text"
    )


def downgrade() -> None:
    op.execute(
        f'ALTER TABLE "{SCHEMA}".contract DROP COLUMN IF EXISTS alert_severity_map, '
        "DROP COLUMN IF EXISTS alert_severity_label"
    )
