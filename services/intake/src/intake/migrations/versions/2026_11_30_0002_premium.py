"""Premium and business services: ticket columns for them, and on-site visits.

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

SCHEMA = "intake"
_OPEN = "('new', 'in_progress', 'waiting_customer')"


def upgrade() -> None:
    op.execute(f"""
        ALTER TABLE "{SCHEMA}".ticket
            ADD COLUMN subtype text,
            ADD COLUMN remote_access_available boolean NOT NULL DEFAULT false,
            ADD COLUMN phone_confirmed_by text,
            ADD COLUMN phone_confirmed_at timestamptz,
            ADD COLUMN phone_confirmation_recorded_by text,
            ADD COLUMN analysis_report text,
            ADD COLUMN alert_fingerprint text,
            ADD COLUMN maintenance_occurrence_key text UNIQUE
    """)
    # Two concurrent notifications of one alert cannot open two tickets for it.
    op.execute(
        f'CREATE UNIQUE INDEX uq_ticket_open_alert ON "{SCHEMA}".ticket '
        f"(customer_id, alert_fingerprint) "
        f"WHERE alert_fingerprint IS NOT NULL AND status IN {_OPEN}"
    )
    op.execute(f"""
        CREATE TABLE "{SCHEMA}".visit (
            id uuid PRIMARY KEY,
            ticket_id uuid NOT NULL REFERENCES "{SCHEMA}".ticket (id),
            address text NOT NULL,
            wished_date date NOT NULL,
            status text NOT NULL,
            scheduled_at timestamptz,
            engineer text,
            time_spent interval,
            done_at timestamptz,
            cancel_reason text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
    """)
    op.execute(f'CREATE INDEX ix_visit_ticket ON "{SCHEMA}".visit (ticket_id, created_at)')


def downgrade() -> None:
    op.execute(f'DROP TABLE "{SCHEMA}".visit')
    op.execute(f'DROP INDEX "{SCHEMA}".uq_ticket_open_alert')
    op.execute(f"""
        ALTER TABLE "{SCHEMA}".ticket
            DROP COLUMN subtype, DROP COLUMN remote_access_available,
            DROP COLUMN phone_confirmed_by, DROP COLUMN phone_confirmed_at,
            DROP COLUMN phone_confirmation_recorded_by, DROP COLUMN analysis_report,
            DROP COLUMN alert_fingerprint, DROP COLUMN maintenance_occurrence_key
    """)
