"""The Deployments' initContainer (deploy/k8s/base/wait-for-init.yaml) against a stand-in API server.

The script is run as the pod runs it, with the image's Python, against an HTTPS server on
loopback that answers the Job's status the way the API server does, with a CA that
openssl makes for the test (as the cluster's CA is mounted into each pod).
"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from deskstack.services import ROOT

SCRIPT = yaml.safe_load((ROOT / "deploy/k8s/base/wait-for-init.yaml").read_text())["data"][
    "wait_for_init.py"
]
JOB_PATH = "/apis/batch/v1/namespaces/support-desk/jobs/deskstack-init"


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA and a server certificate for 127.0.0.1 signed by it."""
    d = tmp_path_factory.mktemp("pki")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca",
        "-keyout", str(d / "ca.key"), "-out", str(d / "ca.crt"),
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", str(d / "server.key"), "-out", str(d / "server.csr"),
    )  # fmt: skip
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl(
        "x509", "-req", "-in", str(d / "server.csr"), "-CA", str(d / "ca.crt"),
        "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-days", "1",
        "-extfile", str(d / "san.ext"), "-out", str(d / "server.crt"),
    )  # fmt: skip
    return d


@dataclass
class ApiServer:
    """Answers GET of the init Job with the next status in ``statuses`` (404 for None)."""

    statuses: list[dict[str, Any] | None]
    port: int = 0
    seen: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def api_server(certificates: Path) -> Iterator[ApiServer]:
    state = ApiServer(statuses=[])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.seen.append((self.path, self.headers.get("Authorization", "")))
            status = state.statuses.pop(0) if len(state.statuses) > 1 else state.statuses[0]
            body = json.dumps(
                {"kind": "Status", "code": 404} if status is None else {"status": status}
            ).encode()
            self.send_response(404 if status is None else 200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "server.crt", certificates / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _run(api: ApiServer, certificates: Path, tmp_path: Path, *, wait: float) -> int:
    account = tmp_path / "serviceaccount"
    account.mkdir()
    (account / "namespace").write_text("support-desk")
    (account / "token").write_text("the-pod-token\n")
    (account / "ca.crt").write_bytes((certificates / "ca.crt").read_bytes())
    script = tmp_path / "wait_for_init.py"
    script.write_text(SCRIPT)
    env = {
        "SERVICEACCOUNT_DIR": str(account),
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(api.port),
        "INIT_JOB": "deskstack-init",
        "WAIT_SECONDS": str(wait),
        "POLL_SECONDS": "0.05",
    }
    done = subprocess.run([sys.executable, str(script)], env=env, timeout=60, check=False)
    return done.returncode


def test_waits_through_a_missing_then_running_job_until_it_succeeded(
    api_server: ApiServer, certificates: Path, tmp_path: Path
) -> None:
    api_server.statuses = [None, {"active": 1}, {"active": 1}, {"succeeded": 1}]

    assert _run(api_server, certificates, tmp_path, wait=30) == 0
    assert len(api_server.seen) == 4  # it stopped asking once the Job had succeeded
    assert set(api_server.seen) == {(JOB_PATH, "Bearer the-pod-token")}


def test_gives_up_when_the_job_does_not_succeed_in_time(
    api_server: ApiServer, certificates: Path, tmp_path: Path
) -> None:
    # A Job that failed (backoffLimit spent) never succeeds: the container fails and the
    # kubelet retries it, so the pod shows Init:Error instead of hanging unseen.
    api_server.statuses = [{"failed": 7}]

    assert _run(api_server, certificates, tmp_path, wait=1) == 1
    assert len(api_server.seen) > 1


def test_refuses_a_server_its_ca_did_not_sign(
    api_server: ApiServer, certificates: Path, tmp_path: Path
) -> None:
    api_server.statuses = [{"succeeded": 1}]
    (tmp_path / "other").mkdir()
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=other",
        "-keyout", str(tmp_path / "other/ca.key"), "-out", str(tmp_path / "other/ca.crt"),
    )  # fmt: skip

    assert _run(api_server, tmp_path / "other", tmp_path, wait=1) == 1
    assert api_server.seen == []  # the handshake failed before any request
