"""API key lifecycle (last use, rotation grace) and the audit log of admin actions.

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

SCHEMA = "gateway"


def upgrade() -> None:
    op.execute(f"""
        ALTER TABLE "{SCHEMA}".api_key
            ADD COLUMN last_used_at timestamptz,
            ADD COLUMN rotated_at timestamptz,
            ADD COLUMN previous_digest text UNIQUE,
            ADD COLUMN previous_valid_until timestamptz""")
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".audit_log (
            id uuid PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            key_id uuid,
            key_name text NOT NULL,
            role text NOT NULL,
            method text NOT NULL,
            path text NOT NULL,
            status integer NOT NULL,
            target_id text,
            request_id text
        )""")
    op.execute(f'CREATE INDEX audit_log_at ON "{SCHEMA}".audit_log (at DESC, id DESC)')
    op.execute(f'CREATE INDEX audit_log_key ON "{SCHEMA}".audit_log (key_id, at DESC)')


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".audit_log')
    op.execute(f"""
        ALTER TABLE "{SCHEMA}".api_key
            DROP COLUMN previous_valid_until,
            DROP COLUMN previous_digest,
            DROP COLUMN rotated_at,
            DROP COLUMN last_used_at""")
