"""The due index in the scheduler's order: (fire_at, id) of unfired alarms.

The scheduler claims alarms in (fire_at, id) order and takes, of each timer, only its
earliest unfired alarm (per-timer order across replicas; see
``sla_clock.adapters.due_alarms``). It reads the first rows of this index in order,
where the index on ``fire_at`` alone made it sort every due alarm at each claim. It
replaces ``ix_timer_alarm_due`` (the next instant and the gauges use it the same way).

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
        f'CREATE INDEX IF NOT EXISTS ix_timer_alarm_due_order ON "{SCHEMA}".timer_alarm '
        "(fire_at, id) WHERE fired_at IS NULL"
    )
    op.execute(f'DROP INDEX IF EXISTS "{SCHEMA}".ix_timer_alarm_due')


def downgrade() -> None:
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_timer_alarm_due ON "{SCHEMA}".timer_alarm (fire_at) '
        "WHERE fired_at IS NULL"
    )
    op.execute(f'DROP INDEX IF EXISTS "{SCHEMA}".ix_timer_alarm_due_order')
