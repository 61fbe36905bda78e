"""Escalation for real: read models, staff, duty roster, policies, escalations, OLAs.

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

SCHEMA = "escalation"

TABLES = (
    # Read models fed by events (no HTTP call on the hot path).
    """CREATE TABLE "{s}".ticket (
        ticket_id uuid PRIMARY KEY,
        customer_id uuid,
        registration_number text,
        tier text,
        severity text,
        status text NOT NULL,
        line smallint NOT NULL DEFAULT 1,
        assignee text,
        schedule jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
    )""",
    """CREATE TABLE "{s}".timer (
        ticket_id uuid NOT NULL,
        timer text NOT NULL,
        timer_id uuid,
        state text NOT NULL,
        due_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_timer PRIMARY KEY (ticket_id, timer)
    )""",
    """CREATE TABLE "{s}".contract (
        contract_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        tier text,
        starts_at timestamptz,
        ends_at timestamptz,
        dedicated_engineer jsonb,
        dedicated_manager jsonb,
        escalation_policy jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
    )""",
    'CREATE INDEX ix_contract_customer ON "{s}".contract (customer_id, ends_at)',
    """CREATE TABLE "{s}".contact (
        contact_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        name text,
        email text,
        chat_id text,
        phone text,
        language text NOT NULL DEFAULT 'ru',
        active boolean NOT NULL DEFAULT true
    )""",
    'CREATE INDEX ix_contact_customer ON "{s}".contact (customer_id)',
    # The vendor's people.
    """CREATE TABLE "{s}".staff (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        chat_id text,
        phone text,
        language text NOT NULL DEFAULT 'ru',
        line smallint NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_staff_email UNIQUE (email)
    )""",
    'CREATE INDEX ix_staff_line_role ON "{s}".staff (line, role) WHERE active',
    """CREATE TABLE "{s}".duty (
        id uuid PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES "{s}".staff (id),
        line smallint NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_duty_interval CHECK (ends_at > starts_at)
    )""",
    # "Who is on duty for line N at T": line = N AND starts_at <= T AND ends_at > T.
    'CREATE INDEX ix_duty_line_interval ON "{s}".duty (line, starts_at, ends_at)',
    # Versioned policy documents contracts carry (the default is code); every version kept.
    """CREATE TABLE "{s}".policy (
        contract_id uuid NOT NULL,
        version text NOT NULL,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_policy PRIMARY KEY (contract_id, version)
    )""",
    """CREATE TABLE "{s}".escalation (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL,
        ticket_id uuid NOT NULL,
        customer_id uuid,
        trigger text NOT NULL,
        timer text,
        percent smallint,
        from_line smallint NOT NULL,
        to_line smallint,
        out_of_hours boolean NOT NULL,
        assign_to uuid,
        recipients jsonb NOT NULL,
        reason text,
        policy_version text,
        raised_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        CONSTRAINT uq_escalation_dedupe_key UNIQUE (dedupe_key)
    )""",
    'CREATE INDEX ix_escalation_ticket ON "{s}".escalation (ticket_id, raised_at)',
    'CREATE INDEX ix_escalation_customer ON "{s}".escalation (customer_id, raised_at)',
    # A support line's own response target after a move (OLA); the scheduler claims due
    # rows with FOR UPDATE SKIP LOCKED.
    """CREATE TABLE "{s}".ola (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        line smallint NOT NULL,
        escalation_id uuid,
        started_at timestamptz NOT NULL,
        warning_at timestamptz NOT NULL,
        warning_percent smallint NOT NULL,
        due_at timestamptz NOT NULL,
        warned_at timestamptz,
        breached_at timestamptz,
        met_at timestamptz,
        CONSTRAINT uq_ola_ticket_line UNIQUE (ticket_id, line)
    )""",
    'CREATE INDEX ix_ola_warning ON "{s}".ola (warning_at) WHERE met_at IS NULL AND warned_at IS NULL',
    'CREATE INDEX ix_ola_due ON "{s}".ola (due_at) WHERE met_at IS NULL AND breached_at IS NULL',
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement.format(s=SCHEMA))


def downgrade() -> None:
    for table in (
        "ola",
        "escalation",
        "policy",
        "duty",
        "staff",
        "contact",
        "contract",
        "timer",
        "ticket",
    ):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
