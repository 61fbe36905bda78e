"""A service's tests import no other service's package: each is tested as it ships.

A test reaching into another service's code couples the two (the old cross-service
check of Table 3 did) and hides a rule with two owners. What services share lives in
``shared``; what one needs from another comes over events or HTTP.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SERVICES = {path.name: path.name.replace("-", "_") for path in (ROOT / "services").iterdir()}


def _imported(path: Path) -> set[str]:
    """Top-level package names a module imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_services_are_found() -> None:
    assert set(SERVICES.values()) >= {"intake", "entitlement", "sla_clock", "escalation"}


def test_no_service_test_imports_another_service() -> None:
    found = []
    for folder, package in SERVICES.items():
        others = set(SERVICES.values()) - {package}
        for path in sorted((ROOT / "services" / folder / "tests").rglob("*.py")):
            for name in sorted(_imported(path) & others):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert found == []
