"""Initial schema: outbox, inbox and the record of observed events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

from shared.db import messaging_tables_ddl
from shared.observed import observed_table_ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notification"


def upgrade() -> None:
    for statement in [*messaging_tables_ddl(SCHEMA), *observed_table_ddl(SCHEMA)]:
        op.execute(statement)


def downgrade() -> None:
    for table in ("observed_event", "inbox", "outbox"):
        op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".{table}')
