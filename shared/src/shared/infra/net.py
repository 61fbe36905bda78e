"""Local ports: pick a free one, or ask whether something listens on one."""

from __future__ import annotations

import contextlib
import os
import random
import socket

# Below Linux's ephemeral range (32768-60999): a port picked here now cannot be taken
# meanwhile by an outgoing connection before the process that will listen on it starts.
_LISTEN_PORTS = (20000, 32000)
_handed_out: set[int] = set()


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listen_port() -> int:
    """A free TCP port on 127.0.0.1 outside the ephemeral range, for a process started later.

    :func:`free_port` hands out an ephemeral port; with a dozen processes opening
    connections, one of them may take it as its local port before the listener binds.
    A port is free only until its process binds it, so this process never hands out
    the same port twice, and each pytest-xdist worker draws from its own slice of the
    range (two workers starting stacks at once would otherwise pick the same port, and
    one service's replica would answer for another's).
    """
    low, high = _worker_slice()
    for _ in range(500):
        port = random.randint(low, high)
        if port in _handed_out:
            continue
        with socket.socket() as s, contextlib.suppress(OSError):
            s.bind(("127.0.0.1", port))
            _handed_out.add(port)
            return port
    return free_port()


def _worker_slice() -> tuple[int, int]:
    """This process's part of ``_LISTEN_PORTS``: all of it, or one xdist worker's share."""
    low, high = _LISTEN_PORTS
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if not worker.startswith("gw") or not worker[2:].isdigit() or count < 2:
        return low, high
    width = (high - low) // count
    start = low + int(worker[2:]) % count * width
    return start, start + width - 1


def port_open(host: str, port: int) -> bool:
    """True if something accepts TCP connections on ``host:port``."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False
