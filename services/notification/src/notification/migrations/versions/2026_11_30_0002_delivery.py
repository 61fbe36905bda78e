"""Deliveries, their attempts, webhook subscriptions and the read models they need.

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

SCHEMA = "notification"

DDL = [
    f"""
    CREATE TABLE "{SCHEMA}".customer_view (
        customer_id uuid PRIMARY KEY,
        timezone text NOT NULL DEFAULT 'Europe/Moscow'
    )""",
    f"""
    CREATE TABLE "{SCHEMA}".contact_view (
        contact_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        name text,
        email text,
        chat_id text,
        language text NOT NULL DEFAULT 'ru',
        active boolean NOT NULL DEFAULT true
    )""",
    f'CREATE INDEX ix_contact_view_customer ON "{SCHEMA}".contact_view (customer_id)',
    f"""
    CREATE TABLE "{SCHEMA}".ticket_view (
        ticket_id uuid PRIMARY KEY,
        customer_id uuid,
        registration_number text,
        title text,
        severity text,
        severity_capped boolean NOT NULL DEFAULT false,
        channel text,
        contact_id uuid,
        contact_email text,
        source_message_id text,
        chat_id text,
        response_due timestamptz,
        resolution_due timestamptz
    )""",
    f"""
    CREATE TABLE "{SCHEMA}".webhook_subscription (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        event_types text[] NOT NULL,
        customer_id uuid,
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        disabled_at timestamptz,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
    )""",
    f"""
    CREATE TABLE "{SCHEMA}".delivery (
        id uuid PRIMARY KEY,
        delivery_key text NOT NULL,
        channel text NOT NULL,
        recipient text NOT NULL,
        template text NOT NULL,
        language text NOT NULL DEFAULT 'ru',
        ticket_id uuid,
        customer_id uuid,
        subscription_id uuid,
        source_event_id uuid,
        source_event_type text,
        context jsonb NOT NULL DEFAULT '{{}}'::jsonb,
        in_reply_to text,
        message_id text,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_delivery_key UNIQUE (delivery_key)
    )""",
    f"""CREATE INDEX ix_delivery_due ON "{SCHEMA}".delivery (next_attempt_at)
        WHERE status IN ('pending', 'sending')""",
    f'CREATE INDEX ix_delivery_ticket ON "{SCHEMA}".delivery (ticket_id, created_at)',
    f'CREATE INDEX ix_delivery_customer ON "{SCHEMA}".delivery (customer_id, created_at)',
    f'CREATE INDEX ix_delivery_subscription ON "{SCHEMA}".delivery (subscription_id, created_at)',
    f"""
    CREATE TABLE "{SCHEMA}".delivery_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES "{SCHEMA}".delivery (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        ok boolean NOT NULL,
        status_code integer,
        reply text,
        latency_ms double precision NOT NULL
    )""",
    f'CREATE INDEX ix_delivery_attempt_delivery ON "{SCHEMA}".delivery_attempt (delivery_id, id)',
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "delivery_attempt",
        "delivery",
        "webhook_subscription",
        "ticket_view",
        "contact_view",
        "customer_view",
    ):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
