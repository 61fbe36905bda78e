"""Alembic environment of intake: its own schema, async engine."""

from intake.adapters.orm import metadata
from shared.db import alembic_env

alembic_env(metadata)
