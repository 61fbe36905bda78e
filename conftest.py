"""Root conftest: loads the project's pytest plugin for every test directory."""

pytest_plugins = ["shared.testing.plugin"]
