"""Alembic environment of escalation: its own schema, async engine."""

from shared.db import alembic_env

from escalation.adapters.orm import metadata

alembic_env(metadata)
