"""Local ports: pick a free one, or ask whether something listens on one."""

from __future__ import annotations

import contextlib
import random
import socket

# Below Linux's ephemeral range (32768-60999): a port picked here now cannot be taken
# meanwhile by an outgoing connection before the process that will listen on it starts.
_LISTEN_PORTS = (20000, 32000)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listen_port() -> int:
    """A free TCP port on 127.0.0.1 outside the ephemeral range, for a process started later.

    :func:`free_port` hands out an ephemeral port; with a dozen processes opening
    connections, one of them may take it as its local port before the listener binds.
    """
    for _ in range(200):
        port = random.randint(*_LISTEN_PORTS)
        with socket.socket() as s, contextlib.suppress(OSError):
            s.bind(("127.0.0.1", port))
            return port
    return free_port()


def port_open(host: str, port: int) -> bool:
    """True if something accepts TCP connections on ``host:port``."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False
