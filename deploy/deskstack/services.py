"""The platform's processes: module, port, environment prefix, schema, migrations.

The one place that names every service. It lives with the launcher (``make run``, the
test stack), not in ``shared``: ``shared`` is a library the services import, and must not
know them back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.db import run_migrations
from shared.settings import asyncpg_url

# The checkout, for the local stack and the tests (a working directory, `var/`); nothing a
# service needs to run or migrate is found through it: migrations ship inside each package.
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ServiceSpec:
    """One process of the platform."""

    name: str
    module: str
    prefix: str
    port: int
    schema: str

    @property
    def migrations(self) -> Path:
        """The Alembic scripts inside the service's package (see ``migrations_dir``)."""
        from shared.runtime import migrations_dir  # FastAPI and all: only when migrating

        return migrations_dir(self.module)

    def command(self) -> list[str]:
        return [sys.executable, "-m", self.module, "api"]


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("entitlement", "entitlement", "ENTITLEMENT_", 8102, "entitlement"),
    ServiceSpec("intake", "intake", "INTAKE_", 8101, "intake"),
    ServiceSpec("sla-clock", "sla_clock", "SLA_CLOCK_", 8103, "sla_clock"),
    ServiceSpec("escalation", "escalation", "ESCALATION_", 8104, "escalation"),
    ServiceSpec("notification", "notification", "NOTIFICATION_", 8105, "notification"),
    ServiceSpec("gateway", "gateway", "GATEWAY_", 8080, "gateway"),
)


@dataclass(frozen=True)
class ListenerSpec:
    """A process of a service that is not its HTTP API: intake's inbound SMTP listener.

    It shares its service's settings and database; ``make run`` starts it on ``port``
    (the first replica only: the others take free ports) and prints it.
    """

    name: str
    service: str
    subcommand: str
    port: int
    port_env: str

    def command(self) -> list[str]:
        return [sys.executable, "-m", by_name(self.service).module, self.subcommand]


LISTENERS: tuple[ListenerSpec, ...] = (
    ListenerSpec("intake-smtp", "intake", "smtp", 2525, "INTAKE_SMTP__PORT"),
)


@dataclass(frozen=True)
class OptionalSpec:
    """A process of a service that runs only when its setting is present: intake's IMAP
    poller (``INTAKE_IMAP__HOST``). One instance, never one per replica: two pollers of
    one mailbox would fetch each message twice (the Message-ID dedupe would absorb it,
    at the cost of the second fetch)."""

    name: str
    service: str
    subcommand: str
    enabled_by: str

    def command(self) -> list[str]:
        return [sys.executable, "-m", by_name(self.service).module, self.subcommand]

    def enabled(self, environ: Mapping[str, str]) -> bool:
        return bool(environ.get(self.enabled_by, "").strip())


OPTIONAL: tuple[OptionalSpec, ...] = (
    OptionalSpec("intake-imap", "intake", "imap", "INTAKE_IMAP__HOST"),
)


def listener_by_name(name: str) -> ListenerSpec | None:
    return next((spec for spec in LISTENERS if spec.name == name), None)


def listener_env(spec: ListenerSpec, *, port: int, **service: Any) -> dict[str, str]:
    """A listener's environment: its service's (``service_env`` arguments), and its port."""
    env = service_env(by_name(spec.service), **service)
    env[spec.port_env] = str(port)
    return env


def by_name(name: str) -> ServiceSpec:
    return next(s for s in SERVICES if s.name == name)


def migrate_all(database_url: str) -> None:
    """Upgrade every service's schema to head."""
    for spec in SERVICES:
        run_migrations(
            script_location=spec.migrations, url=asyncpg_url(database_url), schema=spec.schema
        )


def ports(base: int | None = None) -> dict[str, int]:
    """Each service's port: the defaults, or consecutive ports from ``base`` (tests)."""
    if base is None:
        return {s.name: s.port for s in SERVICES}
    return {s.name: base + i for i, s in enumerate(SERVICES)}


# The second gateway's fixed port (``REPLICAS=2 make run``); other replicas take free ones.
SECOND_GATEWAY_PORT = 8081


def replica_ports(replicas: int, *, free: Callable[[], int]) -> dict[str, list[int]]:
    """Each service's replicas' ports: the default port first, then 8081 for a second
    gateway, then free ports (``free`` finds one)."""
    out: dict[str, list[int]] = {}
    for spec in SERVICES:
        found = [spec.port]
        if spec.name == "gateway" and replicas > 1:
            found.append(SECOND_GATEWAY_PORT)
        while len(found) < replicas:
            port = free()
            if port not in found:
                found.append(port)
        out[spec.name] = found
    return out


def listener_ports(replicas: int, *, free: Callable[[], int]) -> dict[str, list[int]]:
    """Each listener's replicas' ports: only the first takes the well-known one (2525)."""
    out: dict[str, list[int]] = {}
    for listener in LISTENERS:
        taken = [listener.port]
        while len(taken) < replicas:
            port = free()
            if port not in taken:
                taken.append(port)
        out[listener.name] = taken
    return out


def replica_name(name: str, index: int) -> str:
    """A replica's process name: ``intake`` for the first, ``intake.2`` for the second."""
    return name if index == 0 else f"{name}.{index + 1}"


def _urls(ports: int | Sequence[int]) -> str:
    """A service's address as its clients take it: every replica, comma-separated."""
    listed = [ports] if isinstance(ports, int) else list(ports)
    return ",".join(f"http://127.0.0.1:{port}" for port in listed)


def service_env(
    spec: ServiceSpec,
    *,
    database_url: str,
    bootstrap: str,
    idempotence: bool,
    port_map: Mapping[str, int | Sequence[int]],
    port: int | None = None,
    admin_key: str | None = None,
    internal_token: str = "",
    extra: dict[str, str] | None = None,
    smtp_url: str | None = None,
) -> dict[str, str]:
    """The environment of one service process.

    ``port_map`` gives each service's port, or its replicas' ports; ``port`` is this
    process's (default: the service's first). Clients get every replica's URL.
    """
    own = port_map[spec.name]
    if port is None:
        port = own if isinstance(own, int) else own[0]
    replicas = 1 if isinstance(own, int) else len(own)
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "KAFKA_ENABLE_IDEMPOTENCE": "true" if idempotence else "false",
            f"{spec.prefix}PORT": str(port),
            "REPLICAS": str(replicas),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if internal_token:
        env["INTERNAL_TOKEN"] = internal_token
    url = {name: _urls(listed) for name, listed in port_map.items()}
    if spec.name == "intake":
        env["INTAKE_ENTITLEMENT_URL"] = url["entitlement"]
    if spec.name == "sla-clock":  # a preview without a policy reads the programme's
        env["SLA_CLOCK_ENTITLEMENT_URL"] = url["entitlement"]
    if spec.name == "notification" and smtp_url:
        # The local stack's mail catcher; its webhook receivers live on this machine too.
        env["SMTP_URL"] = smtp_url
        env.setdefault("NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS", "true")
    if spec.name == "gateway":
        for name in ("intake", "entitlement", "sla-clock", "escalation", "notification"):
            env[f"GATEWAY_{name.upper().replace('-', '_')}_URL"] = url[name]
        if admin_key:
            env["ADMIN_API_KEY"] = admin_key
    env.update(extra or {})
    return env
