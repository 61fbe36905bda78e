"""The whole platform as child processes, the way ``make run`` starts it.

End-to-end tests drive it only through the gateway and the topics. Unlike
``make run`` (honcho stops everything when one process exits), this keeps each
process under the test's control so a test can stop, kill and restart one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.infra.mailcatcher import MailCatcher
from shared.infra.net import free_port
from shared.infra.services import ROOT, SERVICES, by_name, service_env

# Faster retries and polling than production, so delivery tests take seconds.
TEST_ENV: dict[str, dict[str, str]] = {
    # The maintenance scheduler passes every second, so an occurrence is announced promptly.
    "entitlement": {"ENTITLEMENT_MAINTENANCE_POLL_SECONDS": "1"},
    "notification": {
        "NOTIFICATION_WORKER_POLL_SECONDS": "0.2",
        "NOTIFICATION_WEBHOOK_BACKOFF_BASE_SECONDS": "0.5",
        "NOTIFICATION_EMAIL_BACKOFF_BASE_SECONDS": "0.5",
        "NOTIFICATION_BACKOFF_JITTER": "0.1",
        "NOTIFICATION_LEASE_SECONDS": "5",
    },
}


@dataclass
class RunningStack:
    """Service processes on free ports, sharing one database and one broker."""

    database_url: str
    bootstrap: str
    idempotence: bool
    admin_key: str = "test-admin-key-0123456789"
    internal_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    extra_env: dict[str, dict[str, str]] = field(default_factory=dict)
    log_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="support-e2e-")))
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    port_map: dict[str, int] = field(default_factory=dict)
    # Every email the platform sends lands here as one .eml file (an aiosmtpd catcher).
    mail_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="support-mail-")))
    mail: MailCatcher | None = None

    def __post_init__(self) -> None:
        self.port_map = {s.name: free_port() for s in SERVICES}
        self.mail = MailCatcher(self.mail_dir, port=free_port()).start()

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port_map['gateway']}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port_map[service]}"

    def start(self, name: str) -> None:
        """Start one service process (its log goes to ``log_dir/<name>.log``)."""
        spec = by_name(name)
        env = service_env(
            spec,
            database_url=self.database_url,
            bootstrap=self.bootstrap,
            idempotence=self.idempotence,
            port_map=self.port_map,
            admin_key=self.admin_key,
            internal_token=self.internal_token,
            extra={**TEST_ENV.get(name, {}), **self.extra_env.get(name, {})},
            smtp_url=self.mail.smtp_url if self.mail else None,
        )
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        self.procs[name] = subprocess.Popen(
            spec.command(), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def start_all(self) -> None:
        for spec in SERVICES:
            self.start(spec.name)
        self.wait_ready(timeout=90)

    def wait_ready(self, names: list[str] | None = None, *, timeout: float = 60) -> None:
        """Wait until each named service (default: all) answers ``/health/ready`` with 200."""
        pending = list(names or self.procs)
        deadline = time.monotonic() + timeout
        while pending:
            name = pending[0]
            proc = self.procs[name]
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")
            try:
                r = httpx.get(f"{self.url(name)}/health/ready", timeout=2)
                if r.status_code == 200:
                    pending.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} not ready after {timeout} s:\n{self.log_tail(name)}")
            time.sleep(0.2)

    def stop(self, name: str, *, kill: bool = False, timeout: float = 20) -> int:
        """Stop one service: SIGTERM (graceful) or SIGKILL; return its exit code."""
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait(5)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        if self.mail is not None:
            self.mail.stop()
            self.mail = None

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_key}"}


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


@contextlib.contextmanager
def throwaway_stack(
    *,
    prefix: str = "support_bench",
    extra_env: dict[str, dict[str, str]] | None = None,
    server: str | None = None,
) -> Iterator[RunningStack]:
    """The whole platform on a throwaway database and a fresh Tansu broker.

    Bench scripts use it, and tests that kill processes (apart from the session's stack).
    Uses ``server`` (a maintenance database URL), else ``DATABASE_URL``'s server (or
    127.0.0.1:5432); everything is dropped on exit.
    """
    import asyncio

    from shared.events.topics import ALL_TOPICS
    from shared.infra.postgres import migrate_all
    from shared.infra.tansu import start_tansu
    from shared.messaging.kafka import ensure_topics
    from shared.settings import KafkaSettings
    from shared.testing.infra import create_database, drop_database, maintenance_url

    server = server or maintenance_url()
    database_url = asyncio.run(create_database(server, prefix=prefix))
    port = free_port()
    broker = start_tansu(port)
    bootstrap = f"127.0.0.1:{port}"
    stack = RunningStack(
        database_url=database_url, bootstrap=bootstrap, idempotence=False, extra_env=extra_env or {}
    )
    try:
        migrate_all(database_url)
        asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), ALL_TOPICS))
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
        broker.terminate()
        broker.wait(10)
        asyncio.run(drop_database(server, database_url))
