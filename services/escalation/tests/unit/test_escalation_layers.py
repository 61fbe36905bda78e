"""Escalation's layers, enforced: SQL only in adapters, a pure domain, use cases that see
only the unit-of-work protocol, no HTTP schema below the routes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "escalation"
SQL = re.compile(
    r"^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s"
)  # the code writes SQL upper case


def _modules(*layers: str) -> list[Path]:
    found = [p for layer in layers for p in sorted((SRC / layer).rglob("*.py"))]
    return found or [SRC / layers[0]]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _outside_adapters() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if not {"adapters", "migrations"} & set(p.relative_to(SRC).parts)
    ]


class TestLayers:
    @pytest.mark.parametrize("path", _outside_adapters(), ids=lambda p: str(p.relative_to(SRC)))
    def test_no_sql_outside_adapters(self, path: Path) -> None:
        tree = ast.parse(path.read_text())
        strings = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]

        assert [s for s in strings if SQL.match(s)] == []
        assert not any(name.startswith("sqlalchemy") for name in _imports(path))

    @pytest.mark.parametrize("path", _modules("domain"), ids=lambda p: p.name)
    def test_the_domain_imports_no_other_layer(self, path: Path) -> None:
        outer = ("escalation.adapters", "escalation.usecases", "escalation.api", "fastapi")
        assert [m for m in _imports(path) if m.startswith(outer)] == []

    @pytest.mark.parametrize("path", _modules("usecases"), ids=lambda p: p.name)
    def test_use_cases_see_the_protocol_not_the_adapters_or_http(self, path: Path) -> None:
        outer = ("escalation.adapters", "escalation.api", "fastapi")
        assert [m for m in _imports(path) if m.startswith(outer)] == []

    def test_the_check_finds_sql(self) -> None:
        assert SQL.match("SELECT * FROM {s}.ola")
        assert SQL.match("(SELECT 'x' AS kind)")
        assert not SQL.match("Select the people a decision names")
