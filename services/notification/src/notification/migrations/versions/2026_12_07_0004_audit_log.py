"""The audit log of this service's changes, written in the transaction of each change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

from shared.audit import audit_table_ddl

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notification"


def upgrade() -> None:
    for statement in audit_table_ddl(SCHEMA):
        op.execute(statement)


def downgrade() -> None:
    op.execute(f'DROP TABLE IF EXISTS "{SCHEMA}".audit_log')
