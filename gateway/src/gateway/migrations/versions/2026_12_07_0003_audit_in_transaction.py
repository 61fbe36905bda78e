"""The audit log holds changes only: written in the key change's own transaction, no status.

Entries from before (one best-effort insert after the answer, with its status) stay;
``GET /api/v1/audit`` hides the refused ones among them (status 400 and up), which
changed nothing.

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

SCHEMA = "gateway"


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".audit_log ALTER COLUMN status DROP NOT NULL')
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_audit_log_request_id ON "{SCHEMA}".audit_log (request_id)'
    )


def downgrade() -> None:
    op.execute(f'DROP INDEX IF EXISTS "{SCHEMA}".ix_audit_log_request_id')
    op.execute(f'UPDATE "{SCHEMA}".audit_log SET status = 0 WHERE status IS NULL')
    op.execute(f'ALTER TABLE "{SCHEMA}".audit_log ALTER COLUMN status SET NOT NULL')
