"""Alembic environment of entitlement: its own schema, async engine."""

from entitlement.adapters.orm import metadata
from shared.db import alembic_env

alembic_env(metadata)
