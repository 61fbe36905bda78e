"""A contact's language: notifications reach the contact in it (default Russian).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    op.execute(
        f'ALTER TABLE "{SCHEMA}".contact ADD COLUMN IF NOT EXISTS language text NOT NULL '
        "DEFAULT 'ru' CHECK (language IN ('ru', 'en'))"
    )


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".contact DROP COLUMN IF EXISTS language')
