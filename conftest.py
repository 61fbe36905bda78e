"""Root conftest: loads the project's pytest plugin for every test directory."""

# Import the real packages before collection: pytest's importlib mode names
# gateway/tests/test_x.py "gateway.tests.test_x" and would otherwise import the
# top-level gateway/ folder as a namespace package that shadows the real one.
import gateway
import shared

__all__ = ["gateway", "shared"]

pytest_plugins = ["shared.testing.plugin"]
