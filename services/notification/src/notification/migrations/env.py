"""Alembic environment of notification: its own schema, async engine."""

from notification.adapters.orm import metadata
from shared.db import alembic_env

alembic_env(metadata)
