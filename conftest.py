"""Root conftest: loads the project's pytest plugin for every test directory."""

from collections.abc import Callable

import pytest

# Import the real packages before collection: pytest's importlib mode names
# gateway/tests/test_x.py "gateway.tests.test_x" and would otherwise import the
# top-level gateway/ folder as a namespace package that shadows the real one.
import gateway
import shared
from deskstack.services import migrate_all

__all__ = ["gateway", "shared"]

pytest_plugins = ["shared.testing.plugin"]


@pytest.fixture(scope="session")
def migrate_database() -> Callable[[str], None]:
    """How the plugin's ``database_url`` migrates: every service's schema (the registry)."""
    return migrate_all
