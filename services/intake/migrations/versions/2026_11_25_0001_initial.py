"""Initial schema: tickets, registration numbers, outbox and inbox.

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

SCHEMA = "intake"


def upgrade() -> None:
    for statement in messaging_tables_ddl(SCHEMA):
        op.execute(statement)
    # Gap-tolerant: a rolled-back registration burns a number, which the rules allow.
    op.execute(f'CREATE SEQUENCE "{SCHEMA}".registration_number_seq')
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".ticket (
            id uuid PRIMARY KEY,
            registration_number text NOT NULL UNIQUE,
            customer_id uuid NOT NULL,
            contact_id uuid,
            contact_email text,
            type text NOT NULL,
            severity text NOT NULL,
            requested_severity text NOT NULL,
            severity_capped boolean NOT NULL DEFAULT false,
            tier text NOT NULL,
            policy_version text NOT NULL,
            channel text NOT NULL,
            subject text NOT NULL,
            description text NOT NULL DEFAULT '',
            product text,
            product_version text,
            status text NOT NULL,
            received_at timestamptz NOT NULL,
            version integer NOT NULL DEFAULT 1,
            idempotency_key text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(
        f'CREATE UNIQUE INDEX uq_ticket_idempotency ON "{SCHEMA}".ticket (customer_id, idempotency_key) '
        "WHERE idempotency_key IS NOT NULL"
    )
    op.execute(f'CREATE INDEX ix_ticket_customer_status ON "{SCHEMA}".ticket (customer_id, status)')


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".ticket')
    op.execute(f'DROP SEQUENCE IF EXISTS "{SCHEMA}".registration_number_seq')
    for table in ("inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
