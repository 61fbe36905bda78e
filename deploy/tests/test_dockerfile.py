"""deploy/Dockerfile cannot be built here (no Docker engine); check what its text decides.

The final stage must hold the runtime lock and the wheel only, run as a numeric non-root
user, and never install the source tree, an editable install or the dev/local extras.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"

Instruction = tuple[str, str]


def instructions(text: str) -> list[Instruction]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined and comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        pending += line[:-1] + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            keyword, _, args = pending.partition(" ")
            found.append((keyword.upper(), " ".join(args.split())))
            pending = ""
    return found


def stages(text: str) -> list[list[Instruction]]:
    """The build stages, each from its FROM on."""
    result: list[list[Instruction]] = []
    for instruction in instructions(text):
        if instruction[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def runs(stage: list[Instruction]) -> str:
    return "\n".join(args for keyword, args in stage if keyword == "RUN")


@pytest.fixture(scope="module")
def final() -> list[Instruction]:
    return stages(DOCKERFILE.read_text())[-1]


class TestImage:
    def test_builds_the_wheel_in_a_stage_of_its_own(self) -> None:
        built = stages(DOCKERFILE.read_text())
        assert len(built) >= 2
        assert "pip wheel --no-deps" in runs(built[0])
        assert "requirements/build.lock" in runs(built[0])

    def test_runs_as_a_numeric_non_root_user(self, final: list[Instruction]) -> None:
        users = [args for keyword, args in final if keyword == "USER"]
        assert users, "the final stage sets no USER"
        uid, _, gid = users[-1].partition(":")
        assert uid.isdigit()
        assert int(uid) != 0
        assert not gid or (gid.isdigit() and int(gid) != 0)

    def test_installs_the_runtime_lock_then_the_wheel_without_dependencies(
        self, final: list[Instruction]
    ) -> None:
        copies = [args for keyword, args in final if keyword == "COPY"]
        assert any(args.startswith("requirements/runtime.lock ") for args in copies)
        commands = runs(final)
        assert re.search(r"pip install -r \S*runtime\.lock", commands)
        assert re.search(r"pip install --no-deps \S+\.whl", commands)
        assert "pip check" in commands

    def test_holds_no_source_tree_nor_dev_or_local_packages(self, final: list[Instruction]) -> None:
        copies = [args for keyword, args in final if keyword in {"COPY", "ADD"}]
        # Only the lock and the built wheels reach the final stage.
        assert all(
            args.startswith(("requirements/runtime.lock ", "--from=build /wheels "))
            for args in copies
        ), copies
        text = DOCKERFILE.read_text()
        for forbidden in ("dev.lock", ".[local]", ".[dev]", " -e ", "--editable"):
            assert forbidden not in runs(final), forbidden
        assert "pip install -e" not in text
        assert "--editable" not in text

    def test_default_command_is_a_service_in_exec_form(self, final: list[Instruction]) -> None:
        (command,) = [args for keyword, args in final if keyword == "CMD"]
        argv = json.loads(command)
        assert argv[:2] == ["python", "-m"]
        assert argv[-1] == "api"

    def test_build_context_leaves_out_the_virtualenv_and_local_data(self) -> None:
        ignored = (ROOT / ".dockerignore").read_text().split()
        assert {".venv", "var", ".git"} <= set(ignored)


def test_parser_joins_continuations_and_drops_comments() -> None:
    text = "FROM a AS b\n# note\nRUN one \\\n    # inside\n    && two\nUSER 1:1\n"
    assert instructions(text) == [("FROM", "a AS b"), ("RUN", "one && two"), ("USER", "1:1")]
