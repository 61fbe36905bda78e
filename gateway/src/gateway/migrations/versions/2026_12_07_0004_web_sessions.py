"""Browser sessions, one-time links (sign-in, invitation), sign-in attempts, staff passwords.

Tokens are stored only as SHA-256 digests (docs/web.md): a leaked table signs nobody in.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "gateway"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".web_session (
            id uuid PRIMARY KEY,
            token_digest text NOT NULL UNIQUE,
            kind text NOT NULL CHECK (kind IN ('contact', 'staff')),
            subject text NOT NULL,
            role text NOT NULL,
            customer_id uuid,
            name text NOT NULL,
            csrf_token text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            last_seen_at timestamptz NOT NULL DEFAULT now(),
            idle_expires_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            revoked_at timestamptz
        )""")
    op.execute(f'CREATE INDEX web_session_subject ON "{SCHEMA}".web_session (kind, subject)')
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".one_time_token (
            digest text PRIMARY KEY,
            purpose text NOT NULL CHECK (purpose IN ('sign_in', 'invitation', 'oidc')),
            subject text NOT NULL,
            email text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            used_at timestamptz
        )""")
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".sign_in_attempt (
            id bigserial PRIMARY KEY,
            scope text NOT NULL,
            key_digest text NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(
        f'CREATE INDEX sign_in_attempt_key ON "{SCHEMA}".sign_in_attempt (scope, key_digest, at)'
    )
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".staff_account (
            staff_id uuid PRIMARY KEY,
            email text NOT NULL UNIQUE,
            password_hash text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")


def downgrade() -> None:
    for table in ("staff_account", "sign_in_attempt", "one_time_token", "web_session"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
