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

from deskstack.services import (
    LISTENERS,
    ROOT,
    SERVICES,
    by_name,
    listener_by_name,
    listener_env,
    migrate_all,
    replica_name,
    service_env,
)
from shared.infra.mailcatcher import MailCatcher
from shared.infra.net import free_port, listen_port, port_open

# Faster retries and polling than production, so delivery tests take seconds.
TEST_ENV: dict[str, dict[str, str]] = {
    # Every test browser comes from 127.0.0.1: the per-IP sign-in limit would be shared by
    # all of them (the per-address limit still holds); a lost access is noticed within 1 s.
    "gateway": {
        "GATEWAY_WEB__ATTEMPTS_PER_IP": "100000",
        "GATEWAY_WEB__ACCESS_CACHE_SECONDS": "1",
    },
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
# Tests write records to the topics directly, bypassing the relays (and their bell): a
# sleeping consumer reads them within its safety net, 2 s here (12 s at most, stretched
# while idle) rather than the 10-60 s of production.
for _spec in SERVICES:
    TEST_ENV.setdefault(_spec.name, {})[f"{_spec.prefix}KAFKA__IDLE_SLEEP_SECONDS"] = "2"


@dataclass
class RunningStack:
    """Service processes on free ports, sharing one database and one broker.

    With ``replicas=N`` every process runs N times: replica 1 is named after its
    service (``intake``, ``gateway``), the others ``intake.2``, ``gateway.2`` ...
    (``replica_name``); ``start``/``stop``/``url``/``procs`` take either name, and every
    service's clients (the gateways, intake → entitlement) get every replica's URL.
    """

    database_url: str
    bootstrap: str
    idempotence: bool
    admin_key: str = "test-admin-key-0123456789"
    internal_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    extra_env: dict[str, dict[str, str]] = field(default_factory=dict)
    log_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="support-e2e-")))
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    port_map: dict[str, int] = field(default_factory=dict)  # each service's first replica
    replicas: int = 1
    # Each service's replicas' ports, in replica order.
    ports: dict[str, list[int]] = field(default_factory=dict)
    # Every email the platform sends lands here as one .eml file (an aiosmtpd catcher).
    mail_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="support-mail-")))
    mail: MailCatcher | None = None

    # Each listener's replicas' ports (intake's SMTP listener: ``smtp_port``).
    listener_ports: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ports = {s.name: _free_ports(self.replicas) for s in SERVICES}
        self.port_map = {name: listed[0] for name, listed in self.ports.items()}
        self.listener_ports = {spec.name: _free_ports(self.replicas) for spec in LISTENERS}
        self.mail = MailCatcher(self.mail_dir, port=free_port()).start()

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port_map['gateway']}"

    @property
    def gateway_urls(self) -> list[str]:
        """Every gateway replica's URL."""
        return [f"http://127.0.0.1:{port}" for port in self.ports["gateway"]]

    @property
    def smtp_port(self) -> int:
        """The port of intake's inbound SMTP listener (its first replica)."""
        return self.listener_ports["intake-smtp"][0]

    @property
    def smtp_url(self) -> str:
        """Where to send mail for the desk: ``smtp://127.0.0.1:<port>``."""
        return f"smtp://127.0.0.1:{self.smtp_port}"

    def names(self, service: str) -> list[str]:
        """The process names of ``service``'s replicas (or a listener's)."""
        listed = self.ports.get(service) or self.listener_ports[service]
        return [replica_name(service, i) for i in range(len(listed))]

    def _replica(self, name: str) -> tuple[str, int]:
        """``intake.2`` -> (``intake``, 1); ``intake`` -> (``intake``, 0)."""
        service, _, number = name.rpartition(".")
        if service and number.isdigit():
            return service, int(number) - 1
        return name, 0

    def url(self, service: str) -> str:
        """The URL of a process: ``intake`` (its first replica) or ``intake.2``."""
        name, index = self._replica(service)
        return f"http://127.0.0.1:{self.ports[name][index]}"

    def start(self, name: str) -> None:
        """Start one process (its log goes to ``log_dir/<name>.log``); ``intake.2`` names a
        replica, ``intake-smtp`` the SMTP listener."""
        service, index = self._replica(name)
        listener = listener_by_name(service)
        if listener is not None:
            env = listener_env(
                listener,
                port=self.listener_ports[service][index],
                database_url=self.database_url,
                bootstrap=self.bootstrap,
                idempotence=self.idempotence,
                port_map=self.ports,
                internal_token=self.internal_token,
                extra={**TEST_ENV.get(listener.service, {}), **self.extra_env.get(service, {})},
            )
            command = listener.command()
        else:
            spec = by_name(service)
            env = service_env(
                spec,
                database_url=self.database_url,
                bootstrap=self.bootstrap,
                idempotence=self.idempotence,
                port_map=self.ports,
                port=self.ports[service][index],
                admin_key=self.admin_key,
                internal_token=self.internal_token,
                extra={**TEST_ENV.get(service, {}), **self.extra_env.get(service, {})},
                smtp_url=self.mail.smtp_url if self.mail else None,
            )
            command = spec.command()
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        self.procs[name] = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def start_all(self) -> None:
        for spec in SERVICES:
            for name in self.names(spec.name):
                self.start(name)
        for listener in LISTENERS:
            for name in self.names(listener.name):
                self.start(name)
        self.wait_ready(timeout=90 * self.replicas)

    def wait_ready(self, names: list[str] | None = None, *, timeout: float = 60) -> None:
        """Wait until each named service (default: all) answers ``/health/ready`` with 200."""
        pending = list(names or self.procs)
        deadline = time.monotonic() + timeout
        while pending:
            name = pending[0]
            proc = self.procs[name]
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")
            if self._ready(name):
                pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} not ready after {timeout} s:\n{self.log_tail(name)}")
            time.sleep(0.2)

    def _ready(self, name: str) -> bool:
        """An API answers ``/health/ready`` with 200; a listener accepts connections."""
        service, index = self._replica(name)
        if service in self.listener_ports:
            return port_open("127.0.0.1", self.listener_ports[service][index])
        try:
            answer = httpx.get(f"{self.url(name)}/health/ready", timeout=2)
        except httpx.HTTPError:
            return False
        if answer.status_code != 200:
            return False
        # Another process on this port (a port picked twice) must not pass for this one.
        said = answer.json().get("service")
        if said != service:
            raise RuntimeError(f"{name}'s port {self.url(name)} is answered by {said!r}")
        return True

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


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free ports (outside the ephemeral range: see ``listen_port``)."""
    found: list[int] = []
    while len(found) < count:
        port = listen_port()
        if port not in found:
            found.append(port)
    return found


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


@contextlib.contextmanager
def throwaway_stack(
    *,
    prefix: str = "support_bench",
    extra_env: dict[str, dict[str, str]] | None = None,
    server: str | None = None,
    replicas: int = 1,
) -> Iterator[RunningStack]:
    """The whole platform on a throwaway database and a fresh Tansu broker.

    Bench scripts use it, and tests that kill processes (apart from the session's stack).
    Uses ``server`` (a maintenance database URL), else ``DATABASE_URL``'s server (or
    127.0.0.1:5432); everything is dropped on exit.
    """
    import asyncio

    from shared.events.topics import ALL_TOPICS
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
        database_url=database_url,
        bootstrap=bootstrap,
        idempotence=False,
        extra_env=extra_env or {},
        replicas=replicas,
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
