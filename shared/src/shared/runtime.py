"""What every service process runs besides its routes: engine, outbox relay, consumer, health.

A service builds one :class:`ServiceRuntime` in ``create_app`` and hands
:meth:`ServiceRuntime.lifespan` to FastAPI. On shutdown (SIGTERM/Ctrl-C via
uvicorn) in-flight requests finish, the consumer finishes its record and leaves
its group, and the relay drains the outbox before the engine closes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Generic

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from typing_extensions import TypeVar

from shared import audit, budget
from shared.auth import internal_only
from shared.clock import Clock, SystemClock
from shared.db import UnitOfWork, create_engine, ping, sessionmaker
from shared.logging import configure_logging, get_logger
from shared.messaging.consumer import EventConsumer, Handlers
from shared.messaging.relay import OutboxRelay
from shared.observability.wiring import instrument_service
from shared.settings import ServiceSettings
from shared.web.apidoc import describe_operations
from shared.web.problems import install_problem_handlers

U = TypeVar("U", bound=UnitOfWork)
S = TypeVar("S", bound=ServiceSettings, default=ServiceSettings)
X = TypeVar("X", default=object)
log = get_logger(__name__)

BackgroundTask = Callable[["ServiceRuntime[Any, Any, Any]", asyncio.Event], Awaitable[None]]
Hook = Callable[["ServiceRuntime[Any, Any, Any]"], Awaitable[None]]


class ServiceRuntime(Generic[U, S, X]):
    """The long-lived resources of one service process.

    Typed by its unit of work, its settings class and ``state``: the service's own
    dataclass of what its hooks and tasks open (clients, schedulers, caches), so a
    task reads ``runtime.settings.poll_seconds`` and ``runtime.state.scheduler``
    with their real types instead of casting.
    """

    def __init__(
        self,
        *,
        name: str,
        schema: str,
        settings: S,
        uow_class: type[U],
        state: X,
        handlers: Handlers[U] | None = None,
        topics: Sequence[str] = (),
        clock: Clock | None = None,
        background: Sequence[BackgroundTask] = (),
        on_start: Sequence[Hook] = (),
        on_stop: Sequence[Hook] = (),
        dedicated_connections: Mapping[str, int] | None = None,
        direct_consumer: bool = False,
    ) -> None:
        self.name = name
        # The consumer's transactions on asyncpg's own connection (``UnitOfWork``'s
        # ``direct``): for a service whose repositories run on ``uow.statements``.
        self.direct_consumer = direct_consumer
        # Connections the service's own tasks hold outside the engine's pool (LISTEN).
        self.dedicated_connections = dict(dedicated_connections or {})
        self.schema = schema
        self.settings = settings
        self.uow_class = uow_class
        self.handlers: Handlers[U] = handlers or {}
        self.topics = list(topics)
        self.clock = clock or SystemClock()
        self.background = list(background)
        self.on_start = list(on_start)
        self.on_stop = list(on_stop)
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker[AsyncSession] | None = None
        self.relay: OutboxRelay | None = None
        self.consumer: EventConsumer[U] | None = None
        self.state = state
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def uow(self, *, direct: bool = False) -> U:
        """A new unit of work on this service's schema (``direct``: see ``UnitOfWork``)."""
        if self.sessions is None:
            raise RuntimeError(f"{self.name} is not started")
        return self.uow_class(
            self.sessions,
            schema=self.schema,
            source=self.name,
            on_commit=self.relay.wake if self.relay else None,
            direct=direct,
        )

    def consumer_uow(self) -> U:
        """A new unit of work for one of the consumer's transactions."""
        return self.uow(direct=self.direct_consumer)

    def connection_budget(self) -> budget.ConnectionBudget:
        """The most connections this process opens: its pool and its dedicated ones."""
        dedicated = dict(self.dedicated_connections)
        if self.settings.run_relay:
            dedicated[budget.OUTBOX_LISTENER] = 1
        return budget.ConnectionBudget.of(self.name, self.settings.database, dedicated)

    async def start(self) -> None:
        """Open the engine and start relay, consumer and background tasks."""
        self.engine = create_engine(self.settings.database)
        self.sessions = sessionmaker(self.engine, audit_schema=self.schema)
        self._stop = asyncio.Event()
        self._spawn(
            budget.check(
                self.engine,
                self.connection_budget(),
                replicas=self.settings.replicas,
                prefix=str(self.settings.model_config.get("env_prefix", "")),
            ),
            "connection budget",
        )
        for hook in self.on_start:
            await hook(self)
        if self.settings.run_relay:
            self.relay = OutboxRelay(
                engine=self.engine,
                schema=self.schema,
                kafka=self.settings.kafka,
                client_id=self.name,
                poll_seconds=self.settings.outbox_poll_seconds,
                retention=timedelta(days=self.settings.outbox_retention_days),
                check_seconds=self.settings.broker_check_seconds,
            )
            self._spawn(self.relay.run(self._stop), "relay")
        if self.settings.run_consumer and self.topics and self.handlers:
            self.consumer = EventConsumer(
                name=self.name,
                kafka=self.settings.consumer_kafka(),
                group_id=self.name,
                topics=self.topics,
                handlers=self.handlers,
                uow_factory=self.consumer_uow,
                max_attempts=self.settings.consumer_max_attempts,
            )
            if self.relay is not None and self.consumer.doorbell is not None:
                # Idle, the consumer sleeps until a relay rings (shared.messaging.doorbell);
                # it hears the bell on the relay's listening connection, none of its own.
                self.relay.listen_for_consumer(self.consumer.doorbell)
            self._spawn(self.consumer.run(self._stop), "consumer")
        for task in self.background:
            self._spawn(task(self, self._stop), getattr(task, "__name__", "background"))
        log.info("service started", topics=self.topics)

    def _spawn(self, coro: Awaitable[object], name: str) -> None:
        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background task crashed", task=name)

        self._tasks.append(asyncio.create_task(guarded(), name=f"{self.name}:{name}"))

    async def stop(self) -> None:
        """Let tasks finish their current unit of work, then release everything."""
        self._stop.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=15)
            for task in pending:
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        for hook in self.on_stop:
            with contextlib.suppress(Exception):
                await hook(self)
        if self.engine is not None:
            await self.engine.dispose()
        log.info("service stopped")

    @contextlib.asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        """FastAPI lifespan: start on the way in, stop on the way out."""
        app.state.runtime = self
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def readiness(self) -> dict[str, str]:
        """Check the database and the broker; values are "ok" or the error."""
        checks: dict[str, str] = {}
        try:
            assert self.engine is not None
            await asyncio.wait_for(ping(self.engine), timeout=2)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unavailable: {exc!r}"[:300]
        checks["broker"] = await broker_reachable(self.settings.kafka.bootstrap_servers)
        if self.consumer is not None and not self.consumer.started.is_set():
            checks["consumer"] = "not yet joined its group"
        return checks


async def broker_reachable(bootstrap_servers: str) -> str:
    """Return "ok" if any bootstrap broker accepts a TCP connection."""
    last = "no bootstrap servers"
    for server in bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 2)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            return "ok"
        except Exception as exc:
            last = f"unavailable: {exc!r}"
    return last


def health_router() -> APIRouter:
    """``/health/live`` (the process answers) and ``/health/ready`` (database and broker)."""
    router = APIRouter(tags=["health"])

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready(request: Request) -> JSONResponse:
        runtime: ServiceRuntime[Any, Any, Any] = request.app.state.runtime
        checks = await runtime.readiness()
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "service": runtime.name, "checks": checks},
            status_code=200 if ok else 503,
        )

    return router


def build_app(
    runtime: ServiceRuntime[Any, Any, Any], *, title: str, routers: Sequence[APIRouter]
) -> FastAPI:
    """The FastAPI app of one service: lifespan, problem+json errors, health, its routes."""
    configure_logging(
        service=runtime.name, level=runtime.settings.log_level, json=runtime.settings.log_json
    )
    # The OpenAPI document only over the internal hop (the gateway merges and serves it).
    app = FastAPI(
        title=title,
        lifespan=runtime.lifespan,
        version="1.0.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.internal_token = runtime.settings.internal_token
    install_problem_handlers(app)
    app.include_router(health_router())

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(internal_only)])
    async def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    for router in routers:
        app.include_router(router, prefix="/api/v1")
    app.include_router(audit.internal_router(service=runtime.name, schema=runtime.schema))
    app.add_middleware(audit.AuditScope)
    instrument_service(app, runtime)
    describe_operations(app)
    return app


def migrations_dir(package: str) -> Path:
    """The Alembic scripts shipped inside ``package`` (``<pkg>/migrations``), checkout or wheel.

    Found through the import system, not a repository path, so an installed service migrates
    its schema with no source tree around it. ``package`` is the import name (``"intake"``);
    a package's ``__file__`` is accepted too, as earlier callers passed it.
    """
    if package.endswith(".py"):
        return Path(package).resolve().parent / "migrations"
    found = Path(str(resources.files(package) / "migrations"))
    if not (found / "env.py").is_file():
        raise FileNotFoundError(f"{package} ships no migrations/env.py (looked in {found})")
    return found
