"""Initial schema: API keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".api_key (
            id uuid PRIMARY KEY,
            name text NOT NULL,
            prefix text NOT NULL,
            digest text NOT NULL UNIQUE,
            role text NOT NULL,
            customer_id uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            revoked_at timestamptz
        )""")


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".api_key')
