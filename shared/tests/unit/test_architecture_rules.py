"""Three architecture rules of issue 22, enforced on the sources with ``ast``.

1. **SQL lives in ``adapters/``** (and migrations): no SQL text and no SQLAlchemy
   statement built anywhere else in ``services/*/src`` or ``gateway/src``.
2. **No untyped unit of work**: a parameter named ``uow`` is annotated, and not ``Any``.
3. **shared is a library**: nothing under ``shared/`` imports a service package or the
   deploy tool (``deskstack``), which name the services.

Rules 1 and 2 do not hold everywhere yet: the files that break them are listed in
``KNOWN_SQL`` / ``KNOWN_ANY_UOW`` with their exact count. A file that gets worse, or a
new file that breaks a rule, fails; so does an entry larger than what is found (the list
only shrinks: lower or drop it once the file is fixed). Read with ``ast``, so comments
and docstrings never count.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVICE_PACKAGES = frozenset(
    {path.name.replace("-", "_") for path in (ROOT / "services").iterdir() if path.is_dir()}
)
FORBIDDEN_IN_SHARED = SERVICE_PACKAGES | {"gateway", "deskstack"}

# --- rule 1: what counts as SQL -------------------------------------------------------
# A string (plain or the literal head of an f-string) that opens with a DML/query keyword
# in capitals, followed by what that statement needs: SELECT <anything>, INSERT INTO,
# UPDATE <table> SET, DELETE FROM, WITH <name> AS / WITH RECURSIVE. Capitals only: the
# project writes SQL in capitals, and prose ("Select a ticket") must not count. DDL is
# left out on purpose: it belongs to migrations, which are exempt anyway.
SQL_TEXT = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\S+\s+SET\s|DELETE\s+FROM\s"
    r"|WITH\s+RECURSIVE\s|WITH\s+\w+\s+AS\s*\()"
)
# SQLAlchemy's statement constructors: raw text and the Core query builders. A module that
# imports one of these from ``sqlalchemy`` (or its PostgreSQL dialect) and calls it builds
# a statement, whether its text is written out or not.
SQL_BUILDERS = frozenset({"text", "select", "insert", "update", "delete"})
SQL_MODULES = ("sqlalchemy", "sqlalchemy.dialects.postgresql", "sqlalchemy.sql")

SQL_SCANNED = ["services/*/src", "gateway/src"]
# file -> statements found. Shrink as the services' reshaping lands; then empty it.
KNOWN_SQL: dict[str, int] = {}

# --- rule 2 ------------------------------------------------------------------------------
UOW_SCANNED = ["services/*/src", "gateway/src", "shared/src"]
# file -> ``uow`` parameters typed ``Any`` or not at all.
KNOWN_ANY_UOW: dict[str, int] = {}


def _python_files(patterns: list[str]) -> Iterator[Path]:
    for pattern in patterns:
        for folder in sorted(ROOT.glob(pattern)):
            for path in sorted(folder.rglob("*.py")):
                if "migrations" not in path.relative_to(folder).parts:
                    yield path


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants (prose, never SQL)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _sqlalchemy_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Local names bound to SQLAlchemy's statement builders, and names of its modules."""
    builders: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in SQL_MODULES:
            for alias in node.names:
                if alias.name in SQL_BUILDERS:
                    builders.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in SQL_MODULES:
                    modules.add(alias.asname or alias.name.split(".")[0])
    return builders, modules


def sql_statements(source: str) -> list[int]:
    """Lines of SQL text or of a SQLAlchemy statement built in ``source``, one per statement."""
    tree = ast.parse(source)
    builders, modules = _sqlalchemy_names(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _builds(n, builders, modules)]
    # Docstrings are prose; an f-string's literal parts are judged with the whole f-string;
    # the text given to a builder (``text("SELECT ...")``) is that builder's statement.
    skipped = _docstrings(tree)
    skipped |= {id(p) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for p in n.values}
    skipped |= {id(inner) for call in calls for inner in ast.walk(call) if inner is not call}
    lines = [call.lineno for call in calls if id(call) not in skipped]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL_TEXT.match(node.value):
                lines.append(node.lineno)
        elif isinstance(node, ast.JoinedStr) and SQL_TEXT.match(_rendered(node)):
            lines.append(node.lineno)
    return sorted(lines)


def _builds(call: ast.Call, builders: set[str], modules: set[str]) -> bool:
    """Is ``call`` one of SQLAlchemy's statement builders (``select(...)``, ``sa.text(...)``)?"""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in builders
    return (
        isinstance(func, ast.Attribute)
        and func.attr in SQL_BUILDERS
        and isinstance(func.value, ast.Name)
        and func.value.id in modules
    )


def _rendered(node: ast.JoinedStr) -> str:
    """An f-string's text with each placeholder standing as one word (``"{s}".t`` -> ``x.t``)."""
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "x" for part in node.values
    )


def _outside_adapters(path: Path) -> bool:
    return "adapters" not in path.parts


def _counts(patterns: list[str], finder: object, keep: object = None) -> Counter[str]:
    found: Counter[str] = Counter()
    for path in _python_files(patterns):
        if keep is not None and not keep(path):  # type: ignore[operator]
            continue
        count = len(finder(path.read_text()))  # type: ignore[operator]
        if count:
            found[str(path.relative_to(ROOT))] = count
    return found


def untyped_uow(source: str) -> list[int]:
    """Lines of parameters named ``uow`` without an annotation, or annotated ``Any``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.arg == "uow" and _is_any(arg.annotation):
                lines.append(arg.lineno)
    return lines


def _is_any(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return True
    if isinstance(annotation, ast.Constant):  # a string annotation
        return str(annotation.value).strip() in {"Any", "typing.Any"}
    if isinstance(annotation, ast.Name):
        return annotation.id == "Any"
    return isinstance(annotation, ast.Attribute) and annotation.attr == "Any"


def imported_forbidden(source: str) -> list[str]:
    """Service packages or ``deskstack`` that ``source`` imports (statically or by name)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names = [str(node.args[0].value)]
        found += [(node.lineno, n) for n in names if n.split(".")[0] in FORBIDDEN_IN_SHARED]
    return [f"{line} {name}" for line, name in sorted(found)]


def _check_allowance(found: Counter[str], known: dict[str, int], rule: str) -> None:
    worse = {f: n for f, n in found.items() if n > known.get(f, 0)}
    stale = {f: (n, found.get(f, 0)) for f, n in known.items() if found.get(f, 0) < n}
    assert worse == {}, f"{rule}: new or more offences (file: count found): {worse}"
    assert stale == {}, (
        f"{rule}: fixed, lower or drop these allow-list entries (file: (listed, found)): {stale}"
    )


class TestTheChecksThemselves:
    def test_sql_text_and_builders_are_found_and_prose_is_not(self) -> None:
        source = (
            '"""SELECT in a docstring is prose."""\n'
            "import sqlalchemy as sa\n"
            "from sqlalchemy import select, text as sql\n"
            "a = 'SELECT id FROM t'\n"
            "b = f'UPDATE \"{s}\".t SET x = 1'\n"
            "c = sql('anything')\n"
            "d = select(t.c.id)\n"
            "e = sa.delete(t)\n"
            "f = 'Select a ticket to update'\n"
            "g = 'DELETE it later'\n"
            "h = 'WITH moved AS (SELECT 1) SELECT * FROM moved'\n"
            "i = 'INSERT INTO t VALUES (1)'\n"
            "def f():\n    '''DELETE FROM nothing: a docstring.'''\n"
        )

        assert sql_statements(source) == [4, 5, 6, 7, 8, 11, 12]

    def test_an_untyped_or_any_uow_is_found(self) -> None:
        source = (
            "async def a(envelope, uow): ...\n"
            "async def b(envelope, uow: Any): ...\n"
            "async def c(envelope, uow: typing.Any): ...\n"
            "async def d(envelope, uow: 'Any'): ...\n"
            "async def e(envelope, uow: UnitOfWork): ...\n"
            "def f(*, uow: IntakeUnitOfWork): ...\n"
            "g = lambda uow: uow\n"
        )

        assert untyped_uow(source) == [1, 2, 3, 4, 7]

    def test_service_and_deploy_imports_are_found(self) -> None:
        source = (
            "import intake.config\n"
            "from sla_clock.domain import timers\n"
            "from deskstack.services import SERVICES\n"
            "from shared.db import UnitOfWork\n"
            "importlib.import_module('notification.app')\n"
            "import gateway\n"
            "from intakes import x\n"
        )

        assert imported_forbidden(source) == [
            "1 intake.config",
            "2 sla_clock.domain",
            "3 deskstack.services",
            "5 notification.app",
            "6 gateway",
        ]

    def test_the_scans_find_the_sources(self) -> None:
        assert {"intake", "entitlement", "sla_clock", "escalation"} <= SERVICE_PACKAGES
        files = list(_python_files(SQL_SCANNED))
        assert any(p.match("services/intake/src/intake/adapters/*.py") for p in files)
        assert not any("migrations" in p.parts for p in files)

    def test_an_allowance_fails_when_it_is_no_longer_needed(self) -> None:
        with pytest.raises(AssertionError, match="lower or drop"):
            _check_allowance(Counter({"a.py": 1}), {"a.py": 2}, "rule")
        with pytest.raises(AssertionError, match="new or more"):
            _check_allowance(Counter({"a.py": 3, "b.py": 1}), {"a.py": 3}, "rule")
        _check_allowance(Counter({"a.py": 2}), {"a.py": 2}, "rule")


def test_sql_lives_in_adapters_and_migrations_only() -> None:
    found = _counts(SQL_SCANNED, sql_statements, _outside_adapters)

    _check_allowance(found, KNOWN_SQL, "SQL outside adapters/")


def test_no_unit_of_work_is_untyped_or_any() -> None:
    found = _counts(UOW_SCANNED, untyped_uow)

    _check_allowance(found, KNOWN_ANY_UOW, "uow typed Any or not at all")


@pytest.mark.parametrize("folder", ["shared/src", "shared/tests"])
def test_shared_imports_no_service_and_not_the_deploy_tool(folder: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for hit in imported_forbidden(path.read_text())
    ]

    assert found == []
