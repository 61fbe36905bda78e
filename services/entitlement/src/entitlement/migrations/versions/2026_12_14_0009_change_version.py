"""The customer's change version: entitlement_version on events and on the change signal.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    op.execute(
        f'ALTER TABLE "{SCHEMA}".customer '
        "ADD COLUMN IF NOT EXISTS change_version bigint NOT NULL DEFAULT 0"
    )


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".customer DROP COLUMN IF EXISTS change_version')
