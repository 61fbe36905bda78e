"""Alembic environment of entitlement: its own schema, async engine."""

from shared.db import alembic_env

from entitlement.adapters.orm import metadata

alembic_env(metadata)
