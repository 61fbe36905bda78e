"""Alembic environment of intake: its own schema, async engine."""

from shared.db import alembic_env

from intake.adapters.orm import metadata

alembic_env(metadata)
