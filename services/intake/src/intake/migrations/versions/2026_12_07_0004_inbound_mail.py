"""Inbound mail as received (SMTP, IMAP, raw API posts), before and after processing.

The raw message is committed here before the SMTP ``250``, so a crash after the answer
loses nothing; the unique Message-ID makes a second delivery of the same message one row.

Revision ID: 0004_mail
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_mail"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "intake"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".inbound_mail (
            id uuid PRIMARY KEY,
            message_id text NOT NULL,
            source text NOT NULL CHECK (source IN ('smtp', 'imap', 'api')),
            raw bytea NOT NULL,
            size integer NOT NULL,
            envelope_from text,
            recipients text[] NOT NULL DEFAULT '{{}}',
            received_at timestamptz NOT NULL,
            status text NOT NULL DEFAULT 'pending' CHECK (status IN (
                'pending', 'ticket_created', 'comment_added', 'ignored',
                'unknown_sender', 'failed')),
            reason text,
            from_address text,
            subject text,
            ticket_id uuid,
            comment_id uuid,
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            processed_at timestamptz,
            CONSTRAINT uq_inbound_mail_message_id UNIQUE (message_id)
        )""")
    # The processor's claim: pending rows by due instant.
    op.execute(
        f'CREATE INDEX ix_inbound_mail_due ON "{SCHEMA}".inbound_mail (next_attempt_at) '
        "WHERE status = 'pending'"
    )
    # The agents' list: newest first, optionally by status.
    op.execute(
        f'CREATE INDEX ix_inbound_mail_status ON "{SCHEMA}".inbound_mail '
        "(status, received_at DESC, id DESC)"
    )
    op.execute(
        f'CREATE INDEX ix_inbound_mail_received ON "{SCHEMA}".inbound_mail '
        "(received_at DESC, id DESC)"
    )


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".inbound_mail')
