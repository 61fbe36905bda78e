"""Where the CPU goes under load: ``py-spy`` on each Python process of the stack, summarised.

``py-spy record --format raw`` writes collapsed stacks (``frame;frame;... count``),
sampled at 100 Hz from outside the process (``--nonblocking``: the target is never
paused). Profiling costs CPU of its own on this machine, so a profiled run's
figures are not the baseline; use it to see proportions, not totals. The broker
(Rust) and PostgreSQL backends are not Python: their share is the CPU table's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

NOT_PYTHON = {"tansu", "postgres"}
LOCATION = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def start(roots: dict[str, int], *, seconds: float, out: Path) -> list[subprocess.Popen[bytes]]:
    """One ``py-spy record`` per Python process, writing ``out/<name>.txt``."""
    py_spy = shutil.which("py-spy") or str(Path(__file__).parents[2] / ".venv/bin/py-spy")
    out.mkdir(parents=True, exist_ok=True)
    procs = []
    for name, pid in roots.items():
        if name in NOT_PYTHON:
            continue
        cmd = [py_spy, "record", "-p", str(pid), "-d", str(round(seconds)), "-r", "100"]
        cmd += ["--nonblocking", "-f", "raw", "-o", str(out / f"{name}.txt")]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs


def short(frame: str) -> str:
    """``func (path/to/pkg/mod.py:12)`` -> ``pkg/mod.py:func``: the last two path parts."""
    match = LOCATION.match(frame)
    if match is None:
        return frame
    parts = match["file"].split("/")
    return f"{'/'.join(parts[-2:])}:{match['func']}"


# Our packages as py-spy names them (shared's subpackages appear on their own).
OURS = (
    *("gateway", "intake", "entitlement", "sla_clock", "escalation", "notification"),
    *("shared", "messaging", "events"),
)
EVERYWHERE = (":<module>", "cli.py:main")  # the entry point: on every stack, says nothing


def package(frame: str) -> str:
    """The package a frame's code belongs to (py-spy names files from their package down).

    Self time in a frame includes the C code it calls: uvloop's loop under
    ``asyncio/runners.py:Runner.run``, asyncpg's Cython protocol under its callers.
    """
    match = LOCATION.match(frame)
    path = match["file"] if match else frame
    return path.split("/", 1)[0].removesuffix(".py")


def ours(frame: str) -> bool:
    return package(frame) in OURS and not short(frame).endswith(EVERYWHERE)


def summarise(path: Path, *, top: int = 10) -> str:
    """Self samples by library and by frame, and our own frames by inclusive samples."""
    own: Counter[str] = Counter()
    libraries: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        # An empty stack: the sampled thread ran no Python frame (native code, e.g. a C library).
        frames, n = (stack or "(no Python frame)").split(";"), int(count)
        total += n
        own[short(frames[-1])] += n
        libraries[package(frames[-1])] += n
        for frame in {short(f) for f in frames if ours(f)}:
            inclusive[frame] += n
    total = max(total, 1)
    lines = [f"== {path.stem}: {total} samples (100 Hz, on CPU)"]
    for title, counter in (
        ("self by library", libraries),
        ("self", own),
        ("ours, incl", inclusive),
    ):
        lines += [f"  {title:<16}{100 * n / total:5.1f}%  {f}" for f, n in counter.most_common(top)]
    return "\n".join(lines)
