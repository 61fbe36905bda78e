"""The closed-loop comparison: ``wrk -c32`` through the gateway against the bare endpoint.

Closed loop (each of 32 connections sends its next request when the previous one
is answered) measures capacity, not latency; the ratio of the two request rates
says how much of this machine's Python + PostgreSQL capacity the platform keeps.
Only 2xx answers count, so a rate limit or an error cannot pass for throughput.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from shared.infra.net import free_port

HERE = Path(__file__).resolve().parent
LUA = """wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{auth}"""


@dataclass(frozen=True)
class Closed:
    """One wrk run: answered requests, the non-2xx among them, and the good ones per second."""

    requests: int
    non_2xx: int
    socket_errors: int
    seconds: float

    @property
    def ok_per_second(self) -> float:
        return (self.requests - self.non_2xx) / self.seconds


def parse_wrk(out: str) -> Closed:
    total = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if total is None:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    seconds = float(total.group(2)) / (1000 if total.group(3) == "ms" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = sum(int(g) for g in errors.groups()) if errors else 0
    return Closed(int(total.group(1)), int(bad.group(1)) if bad else 0, failed, seconds)


def wrk(
    url: str, body: dict[str, Any], *, key: str | None, seconds: int, connections: int = 32
) -> Closed:
    """POST ``body`` to ``url`` from ``connections`` connections for ``seconds``."""
    auth = f'wrk.headers["Authorization"] = "Bearer {key}"' if key else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(body=json.dumps(json.dumps(body)), auth=auth))
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    cmd += ["-s", script.name, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    return parse_wrk(out)


@contextmanager
def bare_endpoint(dsn: str) -> Iterator[tuple[str, int]]:
    """Start ``bare.py`` on a free port; yield its ticket URL and process id."""
    port = free_port()
    cmd = [sys.executable, str(HERE / "bare.py"), "--port", str(port), "--dsn", dsn]
    proc = subprocess.Popen(cmd)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
            time.sleep(0.2)
        yield f"{base}/tickets", proc.pid
    finally:
        proc.terminate()
        proc.wait(10)
