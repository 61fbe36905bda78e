"""Maintenance plans of premium contracts, agents' overrides, and announced occurrences.

``maintenance_occurrence`` is keyed by the occurrence key (plan id and the rule's
original instant): the scheduler inserts with ON CONFLICT DO NOTHING, so however many
replicas or passes see an occurrence due, only one announces it.
``maintenance_plan.due_until`` is the scheduler's watermark per plan.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    op.execute(
        f"""
        CREATE TABLE "{SCHEMA}".maintenance_plan (
            id uuid PRIMARY KEY,
            customer_id uuid NOT NULL REFERENCES "{SCHEMA}".customer (id),
            contract_id uuid,
            contact_id uuid,
            what text NOT NULL,
            frequency text NOT NULL,
            rrule text NOT NULL,
            timezone text NOT NULL,
            starts_at timestamp without time zone NOT NULL,
            lead interval NOT NULL,
            "window" text NOT NULL,
            agreed_weekdays smallint[],
            agreed_starts time,
            agreed_ends time,
            outside_window text NOT NULL,
            due_until timestamptz NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        f'CREATE INDEX ix_maintenance_plan_customer_id ON "{SCHEMA}".maintenance_plan (customer_id)'
    )
    op.execute(
        f"""
        CREATE TABLE "{SCHEMA}".maintenance_override (
            occurrence_key text PRIMARY KEY,
            plan_id uuid NOT NULL REFERENCES "{SCHEMA}".maintenance_plan (id) ON DELETE CASCADE,
            kind text NOT NULL,
            to_at timestamptz,
            reason text NOT NULL,
            decided_by text,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE "{SCHEMA}".maintenance_occurrence (
            occurrence_key text PRIMARY KEY,
            plan_id uuid NOT NULL REFERENCES "{SCHEMA}".maintenance_plan (id) ON DELETE CASCADE,
            occurrence_id uuid NOT NULL,
            original_at timestamptz NOT NULL,
            scheduled_at timestamptz,
            outcome text NOT NULL,
            reason text,
            announced_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    for table in ("maintenance_override", "maintenance_occurrence"):
        op.execute(f'CREATE INDEX ix_{table}_plan_id ON "{SCHEMA}".{table} (plan_id)')


def downgrade() -> None:
    for table in ("maintenance_occurrence", "maintenance_override", "maintenance_plan"):
        op.execute(f'DROP TABLE "{SCHEMA}".{table}')
