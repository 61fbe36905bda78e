"""Initial schema: customers, contacts, outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

from shared.db import messaging_tables_ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    for statement in messaging_tables_ddl(SCHEMA):
        op.execute(statement)
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".customer (
            id uuid PRIMARY KEY,
            name text NOT NULL,
            trained_specialists integer NOT NULL DEFAULT 0 CHECK (trained_specialists >= 0),
            warranty_until date,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".contact (
            id uuid PRIMARY KEY,
            customer_id uuid NOT NULL REFERENCES "{SCHEMA}".customer (id),
            name text NOT NULL,
            email text NOT NULL,
            phone text,
            chat_id text,
            active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now()
        )""")
    # An address or chat id identifies at most one active contact platform-wide, so a
    # contact of customer A can never be resolved to customer B.
    op.execute(
        f'CREATE UNIQUE INDEX uq_contact_active_email ON "{SCHEMA}".contact (lower(email)) WHERE active'
    )
    op.execute(
        f'CREATE UNIQUE INDEX uq_contact_active_chat ON "{SCHEMA}".contact (chat_id) '
        "WHERE active AND chat_id IS NOT NULL"
    )
    op.execute(f'CREATE INDEX ix_contact_customer ON "{SCHEMA}".contact (customer_id)')


def downgrade() -> None:
    for table in ("contact", "customer", "inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
