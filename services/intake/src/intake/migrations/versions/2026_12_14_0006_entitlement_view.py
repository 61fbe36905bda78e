"""Entitlement's answers as intake keeps them: admission decides without asking entitlement.

Fed by ``support.contracts.v1`` (handlers.project_entitlement); see the service README,
"Entitlement read model".

Revision ID: 0005_entitlement_view
Revises: 0004_attachments
Create Date: 2026-12-14
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_entitlement_view"
down_revision: str | None = "0004_attachments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "intake"


def upgrade() -> None:
    # One row per customer: entitlement's answer at its latest change (``version``), good
    # until ``valid_until`` (a contract's start or end, the warranty's end).
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".entitled_customer (
            customer_id uuid PRIMARY KEY,
            version bigint NOT NULL,
            answer jsonb,
            valid_until timestamptz,
            changed_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
    """)
    # One row per contact, as of its customer's version when it last changed.
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".entitled_contact (
            contact_id uuid PRIMARY KEY,
            customer_id uuid NOT NULL,
            email_key text NOT NULL,
            chat_id text,
            active boolean NOT NULL,
            version bigint NOT NULL
        )
    """)
    op.execute(
        f'CREATE INDEX ix_entitled_contact_email ON "{SCHEMA}".entitled_contact (email_key) '
        "WHERE active"
    )
    op.execute(
        f'CREATE INDEX ix_entitled_contact_chat ON "{SCHEMA}".entitled_contact (chat_id) '
        "WHERE active AND chat_id IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".entitled_contact')
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".entitled_customer')
