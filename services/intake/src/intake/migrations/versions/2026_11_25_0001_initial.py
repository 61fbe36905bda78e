"""Initial schema: tickets, comments, channel messages, SLA read model, knowledge base.

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
# The 'russian' text-search configuration stems Cyrillic words with the Russian
# snowball stemmer and ASCII words with the English one, so one vector serves both.
TS = "russian"


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
            tier_priority integer NOT NULL DEFAULT 5,
            policy_version text NOT NULL,
            calendar_version text,
            policy jsonb,
            features jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            channel text NOT NULL,
            entered_by text,
            subject text NOT NULL,
            description text NOT NULL DEFAULT '',
            product text,
            product_version text,
            requested_feature text,
            attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
            status text NOT NULL,
            assignee text,
            support_line integer NOT NULL DEFAULT 1,
            hardware_fault boolean NOT NULL DEFAULT false,
            hardware_fault_reason text,
            corrective_actions jsonb NOT NULL DEFAULT '[]'::jsonb,
            status_reason text,
            received_at timestamptz NOT NULL,
            resolved_at timestamptz,
            closed_at timestamptz,
            auto_close_at timestamptz,
            cr_status text,
            cr_details jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            version integer NOT NULL DEFAULT 1,
            idempotency_key text,
            idempotency_fingerprint text,
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('{TS}', coalesce(subject, '')), 'A')
                || setweight(to_tsvector('{TS}', coalesce(description, '')), 'B')
            ) STORED,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(
        f'CREATE UNIQUE INDEX uq_ticket_idempotency ON "{SCHEMA}".ticket (customer_id, idempotency_key) '
        "WHERE idempotency_key IS NOT NULL"
    )
    op.execute(f'CREATE INDEX ix_ticket_customer_status ON "{SCHEMA}".ticket (customer_id, status)')
    op.execute(f'CREATE INDEX ix_ticket_received ON "{SCHEMA}".ticket (received_at DESC, id DESC)')
    op.execute(f'CREATE INDEX ix_ticket_search ON "{SCHEMA}".ticket USING gin (search)')
    # The auto-close job: resolved tickets waiting for their instant.
    op.execute(
        f'CREATE INDEX ix_ticket_auto_close ON "{SCHEMA}".ticket (auto_close_at) '
        "WHERE status = 'resolved'"
    )
    op.execute(
        f"""CREATE INDEX ix_ticket_queue ON "{SCHEMA}".ticket (tier_priority, severity)
            WHERE status IN ('new', 'in_progress')"""
    )
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".comment (
            id uuid PRIMARY KEY,
            ticket_id uuid NOT NULL REFERENCES "{SCHEMA}".ticket (id),
            body text NOT NULL,
            public boolean NOT NULL,
            author_kind text NOT NULL,
            author text,
            channel text,
            attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
            created_at timestamptz NOT NULL
        )""")
    op.execute(f'CREATE INDEX ix_comment_ticket ON "{SCHEMA}".comment (ticket_id, created_at)')
    # Every inbound email/chat message: dedupe and threading. Chat platforms number messages
    # per chat, so a message is known by its customer, its conversation (the chat id; for
    # email the sender's address) and its external id, never by the external id alone.
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".channel_message (
            channel text NOT NULL,
            customer_id uuid NOT NULL,
            conversation text NOT NULL,
            external_id text NOT NULL,
            ticket_id uuid NOT NULL REFERENCES "{SCHEMA}".ticket (id),
            comment_id uuid,
            outcome text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_channel_message
                PRIMARY KEY (channel, customer_id, conversation, external_id)
        )""")
    # Email replies are threaded by Message-ID within the customer, whoever of it sent them.
    op.execute(
        f'CREATE INDEX ix_channel_message_reply ON "{SCHEMA}".channel_message '
        "(channel, customer_id, external_id)"
    )
    # What sla-clock said about each timer (read model of support.sla.v1).
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".ticket_sla (
            ticket_id uuid NOT NULL,
            timer text NOT NULL,
            state text NOT NULL,
            target text,
            due_at timestamptz,
            breached boolean NOT NULL DEFAULT false,
            breached_at timestamptz,
            met_at timestamptz,
            paused_at timestamptz,
            last_warning_percent integer,
            last_event_type text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_ticket_sla PRIMARY KEY (ticket_id, timer)
        )""")
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".kb_article (
            id uuid PRIMARY KEY,
            kind text NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            product text,
            tags text[] NOT NULL DEFAULT '{{}}',
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('{TS}', coalesce(title, '')), 'A')
                || setweight(to_tsvector('{TS}', coalesce(body, '')), 'B')
            ) STORED,
            created_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(f'CREATE INDEX ix_kb_article_search ON "{SCHEMA}".kb_article USING gin (search)')


def downgrade() -> None:
    for table in ("kb_article", "ticket_sla", "channel_message", "comment", "ticket"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
    op.execute(f'DROP SEQUENCE IF EXISTS "{SCHEMA}".registration_number_seq')
    for table in ("inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
