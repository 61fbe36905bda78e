"""PostgreSQL over TLS for every connection the platform makes, against a real TLS-only server.

The server (shared.testing.tlspg) is started by this module with a CA it makes and
``hostssl``-only access, so any connection it accepts over TCP is encrypted; the
tests also read ``pg_stat_ssl`` for the connections they hold. Each kind of
connection (engine, relay's raw pooled one, direct asyncpg, LISTEN listener,
migrations, database creation, a whole service process) must pass with
``verify-full`` and the right CA, and fail with another CA or under a name the
certificate does not hold.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import time
from collections.abc import Iterator

import asyncpg
import httpx
import pytest
import structlog
from sqlalchemy import text
from structlog.testing import capture_logs

from deskstack.services import by_name, migrate_all
from deskstack.stack import RunningStack
from shared import budget, pgconnect
from shared.infra.postgres import ensure_database
from shared.messaging.listener import OutboxListener
from shared.messaging.outbox import channel
from shared.testing.tlspg import OTHER_HOST, TlsServer, tls_postgres

pytestmark = [pytest.mark.postgres]
DATABASE = "support_tls"
MAX_CONNECTIONS = 30  # small, so a budget that does not fit is easy to make

IS_TLS = "SELECT ssl FROM pg_stat_ssl WHERE pid = $1"


@pytest.fixture(scope="module")
def server() -> Iterator[TlsServer]:
    with tls_postgres(max_connections=MAX_CONNECTIONS) as running:
        yield running


@pytest.fixture(scope="module")
def database_url(server: TlsServer) -> str:
    """A database created and migrated over verify-full (ensure_database, Alembic)."""
    url = server.verify_full(DATABASE)
    asyncio.run(ensure_database(url))
    migrate_all(url)
    return url


def _other_ca(server: TlsServer, database: str = DATABASE) -> str:
    return server.url(database, query=f"sslmode=verify-full&sslrootcert={server.other_ca_file}")


async def _is_tls(server: TlsServer, pid: int) -> bool:
    admin = await pgconnect.connect(server.verify_full())
    try:
        return bool(await admin.fetchval(IS_TLS, pid))
    finally:
        await admin.close()


class TestVerifyFullWithTheRightCa:
    @pytest.mark.asyncio(loop_scope="session")
    async def test_the_engine_and_the_relays_raw_connection(self, database_url: str) -> None:
        engine = pgconnect.create_engine(database_url, pool_size=1, max_overflow=0)
        try:
            async with engine.connect() as conn:
                row = (
                    await conn.execute(
                        text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                    )
                ).one()
                # The relay works on asyncpg's connection under the pooled one.
                raw = (await conn.get_raw_connection()).driver_connection
                assert raw is not None
                raw_tls = await raw.fetchval(IS_TLS, raw.get_server_pid())
        finally:
            await engine.dispose()

        assert row.ssl is True
        assert row.version.startswith("TLSv1.")
        assert raw_tls is True

    @pytest.mark.asyncio(loop_scope="session")
    async def test_a_direct_asyncpg_connection(self, database_url: str) -> None:
        conn = await pgconnect.connect(database_url)
        try:
            assert await conn.fetchval(IS_TLS, conn.get_server_pid()) is True
        finally:
            await conn.close()

    def test_migrations_ran_and_reached_head(self, database_url: str) -> None:
        async def tables() -> int:
            conn = await pgconnect.connect(database_url)
            try:
                return int(
                    await conn.fetchval(
                        "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'"
                    )
                )
            finally:
                await conn.close()

        assert asyncio.run(tables()) == 6  # one version table per service schema

    @pytest.mark.asyncio(loop_scope="session")
    async def test_the_outbox_listener_listens_over_tls(
        self, server: TlsServer, database_url: str
    ) -> None:
        engine = pgconnect.create_engine(database_url, pool_size=1, max_overflow=0)
        woken = asyncio.Event()
        listener = OutboxListener(engine, schema="intake", wake=woken.set)
        try:
            await listener.ensure()
            assert listener._conn is not None, "the listener did not connect"
            pid = listener._conn.get_server_pid()
            async with engine.begin() as conn:
                await conn.execute(
                    text("SELECT pg_notify(:c, 'another-process')"), {"c": channel("intake")}
                )
            await asyncio.wait_for(woken.wait(), 5)
            assert await _is_tls(server, pid)
        finally:
            await listener.close()
            await engine.dispose()


class TestRefusals:
    @pytest.mark.asyncio(loop_scope="session")
    async def test_another_ca_fails_every_kind_of_connection(self, server: TlsServer) -> None:
        with pytest.raises(ssl.SSLCertVerificationError):
            await pgconnect.connect(_other_ca(server))
        engine = pgconnect.create_engine(_other_ca(server), pool_size=1, max_overflow=0)
        try:
            with pytest.raises(ssl.SSLCertVerificationError):
                async with engine.connect():
                    pass
        finally:
            await engine.dispose()

    def test_another_ca_fails_migrations(self, server: TlsServer, database_url: str) -> None:
        with pytest.raises(ssl.SSLCertVerificationError):
            migrate_all(_other_ca(server))

    @pytest.mark.asyncio(loop_scope="session")
    async def test_a_host_name_mismatch_fails_verify_full_and_passes_verify_ca(
        self, server: TlsServer
    ) -> None:
        with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
            await pgconnect.connect(server.verify_full(host=OTHER_HOST))

        verify_ca = server.url(
            host=OTHER_HOST, query=f"sslmode=verify-ca&sslrootcert={server.ca_file}"
        )
        conn = await pgconnect.connect(verify_ca)
        try:
            assert await conn.fetchval(IS_TLS, conn.get_server_pid()) is True
        finally:
            await conn.close()

    @pytest.mark.asyncio(loop_scope="session")
    async def test_plain_text_is_refused_by_a_hostssl_only_server(self, server: TlsServer) -> None:
        with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError, match="no encryption"):
            await pgconnect.connect(server.url(query="sslmode=disable"))


class TestConnectionBudget:
    @pytest.mark.asyncio(loop_scope="session")
    async def test_the_server_limits_are_read_and_a_budget_that_does_not_fit_warns(
        self, database_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # A fresh logger under structlog's defaults: the module's own was cached on first use
        # under whatever logging an earlier test in this worker configured (a level filter
        # drops the info line), and capture_logs would not see it.
        saved = structlog.get_config()
        structlog.reset_defaults()
        monkeypatch.setattr(budget, "log", structlog.get_logger("shared.budget"))
        try:
            await self._check(database_url)
        finally:
            structlog.configure(**saved)

    async def _check(self, database_url: str) -> None:
        engine = pgconnect.create_engine(database_url, pool_size=1, max_overflow=0)
        big = budget.ConnectionBudget("intake", 10, 10, {budget.OUTBOX_LISTENER: 1})
        small = budget.ConnectionBudget("intake", 4, 2, {budget.OUTBOX_LISTENER: 1})
        try:
            limit = await budget.server_limit(engine)
            with capture_logs() as fits_logs:
                fits = await budget.check(engine, small, replicas=2, prefix="INTAKE_")
            with capture_logs() as logs:
                missing = await budget.check(engine, big, replicas=2, prefix="INTAKE_")
        finally:
            await engine.dispose()

        assert (limit.max_connections, limit.superuser_reserved) == (MAX_CONNECTIONS, 3)
        assert fits == 0
        assert [e["log_level"] for e in fits_logs] == ["info"]
        assert missing == 2 * 21 - (MAX_CONNECTIONS - 3)
        warnings = [e for e in logs if e["log_level"] == "warning"]
        assert len(warnings) == 1
        assert "2 replicas x 21 connections" in warnings[0]["detail"]
        assert "INTAKE_DATABASE__POOL_SIZE" in warnings[0]["detail"]


def _service_connections(server: TlsServer) -> list[tuple[int, bool]]:
    """(pid, ssl) of every client connection to the test database."""

    async def read() -> list[tuple[int, bool]]:
        admin = await pgconnect.connect(server.verify_full())
        try:
            rows = await admin.fetch(
                "SELECT a.pid, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)"
                " WHERE a.datname = $1 AND a.backend_type = 'client backend'",
                DATABASE,
            )
        finally:
            await admin.close()
        return [(r["pid"], r["ssl"]) for r in rows]

    return asyncio.run(read())


def test_a_service_process_runs_on_tls_and_warns_about_its_replicas(
    server: TlsServer, database_url: str, kafka_bootstrap: tuple[str, bool]
) -> None:
    """Entitlement as `make run` starts it: ready, every connection TLS, the budget warning."""
    bootstrap, idempotence = kafka_bootstrap
    replicas = 4  # x (pool 4 + overflow 2 + outbox listener + cache LISTEN) = 32 > 27
    stack = RunningStack(
        database_url=database_url,
        bootstrap=bootstrap,
        idempotence=idempotence,
        extra_env={"entitlement": {"ENTITLEMENT_REPLICAS": str(replicas)}},
    )
    try:
        stack.start("entitlement")
        stack.wait_ready(["entitlement"], timeout=60)
        assert httpx.get(f"{stack.url('entitlement')}/health/ready").status_code == 200
        # The relay's listener and the cache's listener connect on their own schedule.
        deadline = time.monotonic() + 20
        while len(connections := _service_connections(server)) < 3:
            assert time.monotonic() < deadline, connections
            time.sleep(0.3)
        log = (stack.log_dir / "entitlement.log").read_text()
    finally:
        stack.stop_all()
        shutil.rmtree(stack.log_dir, ignore_errors=True)
        shutil.rmtree(stack.mail_dir, ignore_errors=True)

    assert all(tls for _, tls in connections), connections
    events = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    budgets = [e for e in events if e.get("event", "").startswith("connection budget")]
    assert any(e["level"] == "info" and e["budget"].endswith("= 8") for e in budgets), budgets
    warned = [e for e in budgets if e["level"] == "warning"]
    assert len(warned) == 1, budgets
    assert f"{replicas} replicas x 8 connections" in warned[0]["detail"]
    assert warned[0]["max_connections"] == MAX_CONNECTIONS
    assert by_name("entitlement").prefix + "DATABASE__POOL_SIZE" in warned[0]["detail"]
