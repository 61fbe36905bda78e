"""The project's size limits: no function over 60 lines, no source module over 500.

Long functions are where rules hide; the limits keep use cases, routes and tests
readable at a glance. Alembic migrations are exempt (they are generated, one-off
scripts). Read with ``ast``, so a docstring or a blank line counts like code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 500

# Where the limits hold already and must keep holding.
ENFORCED = ["shared/src", "gateway/src", "deploy"]
# Everything the limits cover once the services' reshaping lands.
EVERYWHERE = [
    *ENFORCED,
    "services/*/src",
    "services/*/tests",
    "shared/tests",
    "gateway/tests",
    "tests-e2e",
    "bench",
]


def _python_files(patterns: list[str]) -> Iterator[Path]:
    for pattern in patterns:
        for folder in sorted(ROOT.glob(pattern)):
            for path in sorted(folder.rglob("*.py")):
                if "migrations" not in path.relative_to(ROOT).parts:
                    yield path


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def too_long_functions(path: Path) -> list[str]:
    """``path:line name (n lines)`` for each function longer than the limit."""
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = _shown(path)
    return [
        f"{rel}:{node.lineno} {node.name} ({length} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]


def too_long_module(path: Path) -> list[str]:
    """``path (n lines)`` if ``path`` is a source module (under ``src/``) over the limit."""
    rel = _shown(path)
    lines = len(path.read_text().splitlines())
    if "src" in rel.parts and lines > MAX_MODULE_LINES:
        return [f"{rel} ({lines} lines)"]
    return []


def violations(patterns: list[str]) -> list[str]:
    return [
        found
        for path in _python_files(patterns)
        for found in [*too_long_functions(path), *too_long_module(path)]
    ]


class TestTheCheckItself:
    def test_counts_a_function_from_its_def_to_its_last_line(self, tmp_path: Path) -> None:
        lines = [f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES)]
        fine, long = "\n".join(lines[:-1]), "\n".join(lines)
        path = tmp_path / "probe.py"
        path.write_text(f"def fine():\n{fine}\n\n\nasync def long():\n{long}\n")

        found = too_long_functions(path)

        assert [f.split(" ", 1)[1] for f in found] == [f"long ({MAX_FUNCTION_LINES + 1} lines)"]

    def test_counts_only_modules_under_src(self, tmp_path: Path) -> None:
        (tmp_path / "src").mkdir()
        for path in (tmp_path / "src" / "big.py", tmp_path / "big_test.py"):
            path.write_text("x = 1\n" * (MAX_MODULE_LINES + 1))

        assert too_long_module(tmp_path / "src" / "big.py") != []
        assert too_long_module(tmp_path / "big_test.py") == []

    def test_finds_the_source_modules_it_guards(self) -> None:
        files = {p.relative_to(ROOT).as_posix() for p in _python_files(EVERYWHERE)}

        assert "shared/src/shared/runtime.py" in files
        assert "tests-e2e/conftest.py" in files
        assert not any("/migrations/" in f for f in files)


def test_shared_gateway_and_deploy_keep_within_the_limits() -> None:
    assert violations(ENFORCED) == []


def test_the_whole_repository_keeps_within_the_limits() -> None:
    assert violations(EVERYWHERE) == []
