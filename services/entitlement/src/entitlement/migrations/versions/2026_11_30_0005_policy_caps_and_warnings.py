"""Stored contract policies name the programme's warnings and severity caps.

Before, the warning percentages were an sla-clock setting and the basic tier's cap a
rule copied into intake and sla-clock; now both travel in the policy document. Adding
them to the stored documents changes no version's meaning: they are the values every
reader applied to those versions until now.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "entitlement"


def upgrade() -> None:
    op.execute(
        f'UPDATE "{SCHEMA}".policy SET document = document '
        """|| '{"severity_caps": {"basic": "medium"}}'::jsonb """
        "WHERE NOT document ? 'severity_caps'"
    )
    op.execute(
        f'UPDATE "{SCHEMA}".policy SET document = document '
        """|| '{"warning_percents": [50, 75, 90]}'::jsonb """
        "WHERE NOT document ? 'warning_percents'"
    )


def downgrade() -> None:
    """Leave the documents as they are: older readers ignore the extra keys."""
