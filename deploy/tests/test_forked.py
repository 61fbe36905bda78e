"""``make run``'s forked processes: each runs its module as ``python -m`` would."""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from pathlib import Path

import pytest

from deskstack import forked

SCRIPT = """
import os, sys
print("env", os.environ.get("GREETING"), "leaked", os.environ.get("LAUNCHER_ONLY"))
print("cwd", os.getcwd())
print("argv", sys.argv[1:], "main", __name__)
sys.exit(int(os.environ.get("CODE", "0")))
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "forkprobe.py").write_text(SCRIPT)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("LAUNCHER_ONLY", "yes")
    return "forkprobe"


def test_a_forked_process_runs_its_module_with_its_own_environment_and_directory(
    module: str, tmp_path: Path
) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = {"GREETING": "privet", "CODE": "3", "PATH": os.environ.get("PATH", "")}
    child = forked.ForkedChild(f"{sys.executable} -m {module} api --x", env=env, cwd=str(workdir))
    out = child.stdout.read().decode()
    assert child.wait() == 3
    assert "env privet leaked None" in out  # exactly its environment, not the launcher's
    assert f"cwd {workdir}" in out
    assert "argv ['api', '--x'] main __main__" in out


def test_a_crash_is_printed_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "forkcrash.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    child = forked.ForkedChild([sys.executable, "-m", "forkcrash"], env={})
    out = child.stdout.read().decode()
    assert child.wait() == 1
    assert "RuntimeError: boom" in out


def test_only_python_dash_m_commands_are_forked() -> None:
    with pytest.raises(ValueError, match="python -m module"):
        forked.ForkedChild(["/bin/sh", "-c", "true"], env={})


@pytest.mark.parametrize(
    ("value", "expected"), [(None, True), ("1", True), ("0", False), ("false", False)]
)
def test_forking_is_the_default_and_can_be_turned_off(value: str | None, expected: bool) -> None:
    environ = {} if value is None else {"DESKSTACK_FORK": value}
    assert forked.enabled(environ) is expected


class TestPatientQueue:
    """honcho's loop asks every 0.1 s; while all runs, the launcher need not wake for it."""

    def test_while_all_runs_the_wait_is_long_and_a_message_ends_it_at_once(self) -> None:
        events = forked.PatientQueue(lambda: True, wait=0.6)
        began = time.monotonic()
        with pytest.raises(queue.Empty):
            events.get(timeout=0.1)
        assert time.monotonic() - began >= 0.55  # not honcho's tenth of a second
        threading.Timer(0.1, events.put, args=("stop",)).start()
        began = time.monotonic()
        assert events.get(timeout=0.1) == "stop"
        assert time.monotonic() - began < 0.5

    def test_once_a_process_stopped_honchos_pace_comes_back(self) -> None:
        events = forked.PatientQueue(lambda: False, wait=5.0)
        began = time.monotonic()
        with pytest.raises(queue.Empty):
            events.get(timeout=0.1)
        assert time.monotonic() - began < 1.0

    def test_the_manager_is_steady_only_while_all_started_and_none_stopped(self) -> None:
        manager = forked.ForkingManager()
        manager.add_process("a", "python -m a")
        assert isinstance(manager.events, forked.PatientQueue)
        assert not manager._steady()  # not started yet
        manager._processes["a"]["pid"] = 123
        assert manager._steady()
        manager._processes["a"]["returncode"] = 0
        assert not manager._steady()
        del manager._processes["a"]["returncode"]
        manager._terminating = True
        assert not manager._steady()
