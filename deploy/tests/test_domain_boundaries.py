"""Each service's domain code loads without the web framework, checked in a fresh interpreter.

Here rather than in shared/tests: the list of services is the registry's
(``deskstack.services``), and shared's tests import no service.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deskstack.services import SERVICES

DOMAIN_PACKAGES = [f"{spec.module}.domain" for spec in SERVICES if spec.name != "gateway"]


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


def test_every_service_has_a_domain_package() -> None:
    assert len(DOMAIN_PACKAGES) == 5


@pytest.mark.parametrize("module", DOMAIN_PACKAGES)
def test_importing_it_leaves_fastapi_and_starlette_unloaded(module: str) -> None:
    loaded = _loaded_after_import(module)

    assert module.partition(".")[0] in loaded
    assert not loaded & {"fastapi", "starlette"}
