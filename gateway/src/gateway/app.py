"""The gateway FastAPI app: authentication, rate limits, audit log, request ids, routing, API doc."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from gateway import accounts_api, audit, keys_api, metrics, ops, stream
from gateway.adapters.directory import Directory
from gateway.adapters.keys import KEY_LISTENER, KeyListener, KeyStore
from gateway.adapters.sessions import AccountStore, AttemptLog, SessionStore, TokenStore
from gateway.auth import authenticate
from gateway.config import Settings
from gateway.envelope import Envelope
from gateway.limits import RequestLimits
from gateway.openapi import ApiDocument
from gateway.ratelimit import RateLimiter
from gateway.routing import ServicePaths, Upstream, forward, service_for
from gateway.stream_hub import StreamHub
from gateway.web import (
    deps as web_deps,
    desk as web_desk,
    oidc as web_oidc,
    pages as web_pages,
    portal as web_portal,
    session_api as web_session_api,
    signin as web_signin,
)
from shared import budget
from shared.audit import AuditScope
from shared.db import create_engine, ping, sessionmaker
from shared.events.asyncapi import build as build_asyncapi
from shared.logging import configure_logging, get_logger
from shared.observability.tracing import inject_headers
from shared.observability.wiring import instrument
from shared.web import asyncio_streams
from shared.web.apidoc import describe_operations
from shared.web.balanced import balanced_transport, first_url, split_urls
from shared.web.i18n import LocalizedProblems
from shared.web.problems import install_problem_handlers, problem

log = get_logger(__name__)
PROXIED_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def _health_routes(app: FastAPI) -> None:
    @app.get("/health/live", tags=["health"])
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"])
    async def ready(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(ping(request.app.state.engine), 2)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unavailable: {exc!r}"[:300]

        async def upstream(name: str, client: httpx.AsyncClient) -> None:
            try:
                r = await client.get("/health/ready", timeout=3)
                checks[name] = "ok" if r.status_code == 200 else f"not ready ({r.status_code})"
            except httpx.HTTPError as exc:
                checks[name] = f"unavailable: {exc.__class__.__name__}"

        await asyncio.gather(*(upstream(n, c) for n, c in request.app.state.clients.items()))
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "service": "gateway", "checks": checks},
            status_code=200 if ok else 503,
        )


def _document_routes(app: FastAPI) -> None:
    asyncapi = build_asyncapi()

    @app.get("/asyncapi.json", tags=["events"])
    async def event_catalogue() -> dict[str, Any]:
        """The AsyncAPI 3.0 document of every topic and event type."""
        return asyncapi

    @app.get("/openapi.json", include_in_schema=False)
    async def api_document(request: Request) -> JSONResponse:
        document: ApiDocument = request.app.state.document
        return JSONResponse(await document.build(app.openapi()))

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Support desk API")


def _upstreams(
    settings: Settings, transport: httpx.AsyncBaseTransport | None
) -> dict[str, Upstream]:
    """One pooled transport per service (or the test's transport for all of them).

    A service address may list several replicas: the transport takes them in turn and
    fails over to the next when one cannot be reached (shared.web.balanced). Plain-HTTP
    hops go over asyncio's own streams (shared.web.asyncio_streams: why).
    """
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
    return {
        name: Upstream(
            base=httpx.URL(first_url(urls)),
            transport=balanced_transport(
                urls, inner=transport or asyncio_streams.transport(split_urls(urls), limits=limits)
            ),
            timeout=settings.upstream_timeout_seconds,
        )
        for name, urls in settings.upstreams().items()
    }


def connection_budget(settings: Settings) -> budget.ConnectionBudget:
    """The gateway's connections: its pool, and the key-change listener (docs/database.md)."""
    return budget.ConnectionBudget.of("gateway", settings.database, {KEY_LISTENER: 1})


def _lifespan(
    settings: Settings, upstream_transport: httpx.AsyncBaseTransport | None
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """Open the database, the key store and one pooled client per service; close them."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database)
        app.state.engine = engine
        budget_check = asyncio.create_task(
            budget.check(
                engine,
                connection_budget(settings),
                replicas=settings.replicas,
                prefix="GATEWAY_",
            )
        )
        # The key changes' transactions write their audit entries (shared.audit).
        app.state.sessions = sessionmaker(engine, audit_schema="gateway")
        app.state.keys = KeyStore(
            app.state.sessions,
            cache_seconds=settings.key_cache_seconds,
            touch_seconds=settings.key_touch_seconds,
        )
        # Revocations and rotations on any replica empty this replica's key cache.
        listener = KeyListener(engine, app.state.keys)
        await listener.ensure()
        listening = asyncio.create_task(listener.run(), name="gateway-key-listener")
        app.state.upstreams = _upstreams(settings, upstream_transport)
        # The gateway's own calls (health, API document, key checks) share the proxy's pools.
        app.state.clients = {
            name: httpx.AsyncClient(
                base_url=upstream.base,
                timeout=settings.upstream_timeout_seconds,
                transport=upstream.transport,
                event_hooks={"request": [inject_headers]},
            )
            for name, upstream in app.state.upstreams.items()
        }
        app.state.document = ApiDocument(app.state.clients, settings.internal_token)
        _web_state(app, settings)
        app.state.hub = StreamHub(settings.kafka, settings.stream)
        if settings.admin_api_key:
            await app.state.keys.seed_admin(settings.admin_api_key)
        log.info("gateway started", upstreams=settings.upstreams())
        try:
            yield
        finally:
            budget_check.cancel()
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listening
            await app.state.hub.close()
            for client in app.state.clients.values():
                await client.aclose()
            if app.state.oidc is not None:
                await app.state.oidc.client.aclose()
            await engine.dispose()

    return lifespan


def _web_state(app: FastAPI, settings: Settings) -> None:
    """Browser sign-in: sessions, one-time links, attempts, passwords, people (docs/web.md)."""
    app.state.web_sessions = SessionStore(app.state.sessions, lifetimes=settings.web.lifetimes())
    app.state.one_time_tokens = TokenStore(app.state.sessions)
    app.state.sign_in_attempts = AttemptLog(app.state.sessions)
    app.state.accounts = AccountStore(app.state.sessions)
    app.state.directory = Directory(
        app.state.clients,
        internal_token=settings.internal_token,
        cache_seconds=settings.web.access_cache_seconds,
    )
    app.state.oidc = web_oidc.provider_of(settings)


async def _proxy(request: Request) -> Response:
    """``/api/v1/<path>`` to the service that owns it, with the caller as its principal.

    A plain Starlette endpoint, not a FastAPI route: the proxy has no parameters to
    validate, and FastAPI's dependency solving cost more than the key check it ran.
    """
    # Starlette's router leaves no ``route`` in the scope for a plain route; the metrics
    # middleware labels requests by it, so every proxied call counts as ``/api/v1/{path}``.
    request.scope.setdefault("route", PROXY)
    who = await authenticate(request)
    path: str = request.path_params["path"]
    service = service_for(path, request.method)
    if service is None:
        return problem(
            status=404,
            title="Not Found",
            detail=f"No API at /api/v1/{path}; see /docs for the routes.",
            instance=request.url.path,
        )
    upstreams: dict[str, Upstream] = request.app.state.upstreams
    return await forward(
        request,
        service=service,
        upstream=upstreams[service],
        principal=who,
        request_id=request.state.request_id,
        internal_token=request.app.state.settings.internal_token,
    )


PROXY = Route("/api/v1/{path:path}", _proxy, methods=list(PROXIED_METHODS))
PROXY.methods = set(PROXIED_METHODS)  # Starlette adds HEAD to GET; the services answer none
# The same endpoint, tried before every other route for the services' own paths.
PROXY_FIRST = ServicePaths("/api/v1/{path:path}", _proxy, methods=list(PROXIED_METHODS))
PROXY_FIRST.methods = PROXY.methods


def create_app(
    settings: Settings | None = None, *, upstream_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """Build the gateway; nothing connects until the lifespan starts.

    ``upstream_transport`` replaces the network for upstream calls (tests).
    """
    settings = settings or Settings()
    configure_logging(service="gateway", level=settings.log_level, json=settings.log_json)
    app = FastAPI(
        title="Support desk API",
        version="1.0.0",
        lifespan=_lifespan(settings, upstream_transport),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.limiter = RateLimiter(settings.rate_limits, replicas=settings.replicas)
    install_problem_handlers(app, localize=False)
    app.add_middleware(Envelope)
    app.add_middleware(AuditScope)
    _health_routes(app)
    _document_routes(app)
    app.include_router(keys_api.router())
    app.include_router(audit.router())
    app.include_router(stream.router())
    app.include_router(ops.router())
    app.include_router(metrics.router())
    app.include_router(accounts_api.router())
    app.include_router(web_pages.router())
    app.include_router(web_signin.router())
    app.include_router(web_portal.router())
    app.include_router(web_desk.router())
    app.include_router(web_session_api.router())
    app.include_router(web_oidc.router())
    web_deps.install(app)
    app.router.routes.insert(0, PROXY_FIRST)
    app.router.routes.append(PROXY)
    # Outermost: refuse what is too large, too slow or unroutable before any other work.
    app.add_middleware(RequestLimits, limits=settings.limits)
    instrument(app, service="gateway")  # refused requests are counted too
    # Outermost: every problem, the limits' refusals too, in the caller's language.
    app.add_middleware(LocalizedProblems)
    describe_operations(app)
    return app
