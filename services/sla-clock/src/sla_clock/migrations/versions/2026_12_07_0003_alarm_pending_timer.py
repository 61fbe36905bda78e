"""The pending alarms of each timer, for the scheduler's per-timer order.

The scheduler claims only the earliest unfired alarm of each timer (a later one waits
for that one's commit), so that two replicas claiming at once never put a timer's
warnings and breach into the outbox out of order. This partial index answers that
check; it holds only unfired rows (a fired row leaves it), so it stays the size of
what is pending.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "sla_clock"


def upgrade() -> None:
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_timer_alarm_pending_timer ON "{SCHEMA}".timer_alarm '
        "(timer_id, fire_at, id) WHERE fired_at IS NULL"
    )


def downgrade() -> None:
    op.execute(f'DROP INDEX IF EXISTS "{SCHEMA}".ix_timer_alarm_pending_timer')
