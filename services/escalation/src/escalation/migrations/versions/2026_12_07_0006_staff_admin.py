"""A staff member may be marked admin: they sign in to the desk as an admin (docs/web.md).

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

SCHEMA = "escalation"


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".staff ADD COLUMN admin boolean NOT NULL DEFAULT false')


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".staff DROP COLUMN admin')
