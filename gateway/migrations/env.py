"""Alembic environment of the gateway: its own schema, async engine."""

from shared.db import alembic_env

from gateway.keys import metadata

alembic_env(metadata)
