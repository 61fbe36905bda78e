"""Initial schema: ticket events, ticket clocks, timers, alarms, outbox and inbox.

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

SCHEMA = "sla_clock"


def upgrade() -> None:
    for statement in messaging_tables_ddl(SCHEMA):
        op.execute(statement)
    # Every consumed ticket event that can move a timer, in consumption order: the
    # history a ticket's timers are rebuilt from.
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".ticket_event (
            seq bigint GENERATED ALWAYS AS IDENTITY,
            event_id uuid NOT NULL,
            ticket_id uuid NOT NULL,
            type text NOT NULL,
            occurred_at timestamptz NOT NULL,
            data jsonb NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_ticket_event PRIMARY KEY (seq),
            CONSTRAINT uq_ticket_event_event_id UNIQUE (event_id)
        )""")
    op.execute(
        f'CREATE INDEX ix_ticket_event_ticket_id ON "{SCHEMA}".ticket_event (ticket_id, seq)'
    )
    # The fold's current state per ticket (the live snapshot the next event is applied to).
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".ticket_clock (
            ticket_id uuid PRIMARY KEY,
            customer_id uuid,
            tier text NOT NULL,
            severity text NOT NULL,
            policy_version text,
            calendar_version text,
            received_at timestamptz NOT NULL,
            status text NOT NULL,
            state jsonb NOT NULL,
            last_seq bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    # One row per (ticket, timer), a projection of the snapshot for queries and reports.
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".timer (
            id uuid PRIMARY KEY,
            ticket_id uuid NOT NULL,
            kind text NOT NULL,
            state text NOT NULL,
            customer_id uuid,
            tier text NOT NULL,
            severity text NOT NULL,
            target text,
            policy_version text,
            started_at timestamptz NOT NULL,
            due_at timestamptz,
            ended_at timestamptz,
            reason text,
            worked_seconds double precision,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT uq_timer_ticket_kind UNIQUE (ticket_id, kind)
        )""")
    op.execute(f'CREATE INDEX ix_timer_started_at ON "{SCHEMA}".timer (started_at)')
    # Warning and breach instants of running timers; the scheduler claims due rows with
    # FOR UPDATE SKIP LOCKED and stamps fired_at in the transaction that writes the event.
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".timer_alarm (
            id bigint GENERATED ALWAYS AS IDENTITY,
            timer_id uuid NOT NULL,
            ticket_id uuid NOT NULL,
            timer text NOT NULL,
            kind text NOT NULL,
            percent integer NOT NULL,
            fire_at timestamptz NOT NULL,
            due_at timestamptz NOT NULL,
            customer_id uuid,
            tier text,
            severity text,
            target text,
            policy_version text,
            fired_at timestamptz,
            late boolean,
            event_id uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_timer_alarm PRIMARY KEY (id),
            CONSTRAINT uq_timer_alarm_timer_id UNIQUE (timer_id, kind, percent, fire_at),
            CONSTRAINT ck_timer_alarm_kind CHECK (kind IN ('warning', 'breach'))
        )""")
    op.execute(
        f'CREATE INDEX ix_timer_alarm_due ON "{SCHEMA}".timer_alarm (fire_at) '
        "WHERE fired_at IS NULL"
    )


def downgrade() -> None:
    for table in ("timer_alarm", "timer", "ticket_clock", "ticket_event", "inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
