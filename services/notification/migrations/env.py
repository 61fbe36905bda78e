"""Alembic environment of notification: its own schema, async engine."""

from shared.db import alembic_env

from notification.adapters.orm import metadata

alembic_env(metadata)
