"""Alembic environment of the gateway: its own schema, async engine."""

from gateway.adapters.keys import metadata
from shared.db import alembic_env

alembic_env(metadata)
