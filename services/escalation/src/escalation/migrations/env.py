"""Alembic environment of escalation: its own schema, async engine."""

from escalation.adapters.orm import metadata
from shared.db import alembic_env

alembic_env(metadata)
