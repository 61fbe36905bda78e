"""shared/ stays a library: what importing a module may drag in, checked in a fresh interpreter.

A subprocess, because this pytest process has long since imported everything.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import shared.testing


def _loaded_after_import(module: str) -> set[str]:
    """The top-level packages loaded by importing ``module`` in a fresh interpreter."""
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted({name.partition('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def _testing_modules() -> list[str]:
    return [f"shared.testing.{info.name}" for info in pkgutil.iter_modules(shared.testing.__path__)]


class TestSharedTestingDoesNotImportTheDeployTool:
    def test_finds_the_testing_modules(self) -> None:
        assert {"shared.testing.plugin", "shared.testing.observer"} <= set(_testing_modules())

    @pytest.mark.parametrize("module", _testing_modules())
    def test_importing_it_leaves_deskstack_unloaded(self, module: str) -> None:
        loaded = _loaded_after_import(module)

        assert "shared" in loaded
        assert "deskstack" not in loaded


class TestDomainCodeDoesNotImportTheWebFramework:
    """Each service's ``domain`` package: deploy/tests/test_domain_boundaries.py."""

    @pytest.mark.parametrize("module", ["shared.errors"])
    def test_importing_it_leaves_fastapi_and_starlette_unloaded(self, module: str) -> None:
        loaded = _loaded_after_import(module)

        assert module.partition(".")[0] in loaded
        assert not loaded & {"fastapi", "starlette"}

    def test_the_problem_rendering_does_load_them(self) -> None:
        """The check above can fail: the web module is where FastAPI comes in."""
        assert {"fastapi", "starlette"} <= _loaded_after_import("shared.web.problems")
