"""Attachments: the files of a ticket (rows), and their bytes when PostgreSQL stores them.

Revision ID: 0004_attachments
Revises: 0004_mail
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_attachments"
down_revision: str | None = "0004_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "intake"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".attachments (
            id uuid PRIMARY KEY,
            ticket_id uuid NOT NULL REFERENCES "{SCHEMA}".ticket (id),
            comment_id uuid REFERENCES "{SCHEMA}".comment (id),
            filename text NOT NULL,
            content_type text NOT NULL,
            declared_type text NOT NULL,
            size bigint NOT NULL CHECK (size >= 0),
            sha256 text NOT NULL,
            backend text NOT NULL,
            storage_key text NOT NULL,
            source text NOT NULL CHECK (source IN ('email', 'api', 'portal')),
            uploaded_by text NOT NULL,
            created_at timestamptz NOT NULL
        )
    """)
    op.execute(
        f'CREATE INDEX ix_attachments_ticket ON "{SCHEMA}".attachments (ticket_id, created_at)'
    )
    # The PostgreSQL backend's bytes (INTAKE_ATTACHMENTS__BACKEND=postgres, the default):
    # every replica sees them, and they are backed up with the rest of the schema.
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".attachment_blob (
            key text PRIMARY KEY,
            data bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )
    """)
    # TOAST compresses by default; screenshots and archives are compressed already.
    op.execute(f'ALTER TABLE "{SCHEMA}".attachment_blob ALTER COLUMN data SET STORAGE EXTERNAL')


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".attachment_blob')
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".attachments')
