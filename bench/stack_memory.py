"""The memory of the running platform as ``make run`` starts it, counted as PSS.

Starts ``python -m deskstack run`` in a fresh ``--var-dir`` (embedded PostgreSQL, a
Tansu broker, the mail catcher, every service, the gateway and the SMTP listener, on
their usual ports, which must be free), waits until it says it is up and ``--settle``
seconds more, then sums the proportional set size (``Pss`` in
``/proc/<pid>/smaps_rollup``) of every process in its tree. PSS divides a page shared
by N processes by N, so PostgreSQL's shared buffers and the libraries that forked
processes share count once across them.

Each process is named by what it is: the launcher (with its mail catcher), honcho's
wrapper per process, each service by the port it listens on, PostgreSQL, Tansu.
``--modes fork,separate`` measures both ways of starting the services
(``DESKSTACK_FORK``, deploy/deskstack/forked.py) one after the other.

Usage: ``.venv/bin/python bench/stack_memory.py [--settle 10] [--modes fork,separate]
[--smoke]``. The goal (issue 27): the whole stack at most 500 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil
import smoke

from deskstack.services import LISTENERS, SERVICES

ROOT = Path(__file__).resolve().parents[1]
GOAL_MB = 500.0
READY = "Support desk is up."
BY_PORT = {spec.port: spec.name for spec in SERVICES} | {spec.port: spec.name for spec in LISTENERS}


def pss_mb(pid: int) -> float:
    """The process's PSS in MB (0 when it is gone or unreadable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _name(proc: psutil.Process, launcher: int) -> str:
    """What a process of the tree is."""
    try:
        if proc.pid == launcher:
            return "launcher (+ mail catcher)"
        command = " ".join(proc.cmdline())
        if "postgres" in proc.name() or "postgres" in command.split(" ")[0]:
            return "postgresql"
        if "tansu" in command:
            return "tansu"
        for conn in proc.net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port in BY_PORT:
                return BY_PORT[conn.laddr.port]
        if proc.children():
            return "honcho wrappers"
        return f"other ({proc.name()})"
    except psutil.Error:
        return "gone"


def measure(fork: bool, settle: float, timeout: float) -> dict[str, tuple[int, float]]:
    """Start the platform, wait, and return PSS by group: name -> (processes, MB)."""
    env = {**os.environ, "DESKSTACK_FORK": "1" if fork else "0", "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"):  # embedded, as on a fresh machine
        env.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="stack-memory-") as var_dir:
        cmd = [sys.executable, "-m", "deskstack", "run", "--var-dir", var_dir]
        launcher = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            _wait_until_up(launcher, timeout)
            time.sleep(settle)
            return _groups(launcher.pid, var_dir)
        finally:
            _stop(launcher)
            _stop_left_behind(var_dir)


def _wait_until_up(launcher: subprocess.Popen[str], timeout: float) -> None:
    """Read the launcher's output (on, so it never blocks) until it says it is up."""
    lines: queue.Queue[str] = queue.Queue()
    assert launcher.stdout is not None
    stdout = launcher.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline and launcher.poll() is None:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if READY in line:
            return
    tail = "".join(seen[-40:])
    raise RuntimeError(f"the platform did not come up within {timeout} s:\n{tail}")


def _groups(launcher: int, var_dir: str) -> dict[str, tuple[int, float]]:
    """PSS by group over the launcher's tree and the servers it started that left the
    tree (the embedded PostgreSQL daemonizes: its postmaster is found by its data dir)."""
    root = psutil.Process(launcher)
    tree = {proc.pid: proc for proc in [root, *root.children(recursive=True)]}
    for proc in psutil.process_iter(["cmdline"]):
        if proc.pid not in tree and var_dir in " ".join(proc.info["cmdline"] or ()):
            for member in [proc, *proc.children(recursive=True)]:
                tree[member.pid] = member
    groups: dict[str, list[float]] = defaultdict(list)
    for proc in tree.values():
        groups[_name(proc, launcher)].append(pss_mb(proc.pid))
    return {name: (len(sizes), sum(sizes)) for name, sizes in groups.items()}


def _stop(launcher: subprocess.Popen[str]) -> None:
    """Ctrl-C as a person would; whatever is left after 30 s is killed."""
    try:
        tree = psutil.Process(launcher.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    launcher.send_signal(signal.SIGINT)
    try:
        launcher.wait(30)
    except subprocess.TimeoutExpired:
        launcher.kill()
    _, alive = psutil.wait_procs(tree, timeout=10)
    for proc in alive:
        proc.kill()


def _stop_left_behind(var_dir: str) -> None:
    """A launcher that died without its Ctrl-C handling leaves the embedded PostgreSQL
    running (it daemonizes); stop whatever still runs from ``var_dir`` (fast shutdown)."""
    left = [
        proc
        for proc in psutil.process_iter(["cmdline"])
        if var_dir in " ".join(proc.info["cmdline"] or ())
    ]
    for proc in left:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(signal.SIGINT)
    _, alive = psutil.wait_procs(left, timeout=15)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()


def report(mode: str, groups: dict[str, tuple[int, float]]) -> float:
    total = sum(mb for _, mb in groups.values())
    print(f"\n== {mode}: PSS after make run")
    print(f"{'process':<28} {'count':>5} {'PSS MB':>8}")
    for name, (count, mb) in sorted(groups.items(), key=lambda item: -item[1][1]):
        print(f"{name:<28} {count:>5} {mb:>8.1f}")
    verdict = "ok" if total <= GOAL_MB else "MISSED"
    print(f"whole stack ({mode}): {total:.1f} MB PSS (goal <= {GOAL_MB:.0f} MB: {verdict})")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=10.0, help="seconds after 'up'")
    parser.add_argument("--modes", default="fork,separate", help="fork, separate, or both")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to come up")
    args = smoke.parse(parser, settle=1.0, modes="fork")
    totals = {}
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        if mode not in {"fork", "separate"}:
            raise SystemExit(f"--modes takes fork and/or separate, not {mode!r}")
        totals[mode] = report(mode, measure(mode == "fork", args.settle, args.timeout))
    if len(totals) == 2:
        saved = totals["separate"] - totals["fork"]
        print(f"\nforking saves {saved:.1f} MB PSS ({saved / totals['separate']:.0%})")


if __name__ == "__main__":
    main()
