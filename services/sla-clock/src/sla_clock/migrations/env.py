"""Alembic environment of sla-clock: its own schema, async engine."""

from shared.db import alembic_env
from sla_clock.adapters.orm import metadata

alembic_env(metadata)
