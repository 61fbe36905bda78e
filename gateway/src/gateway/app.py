"""The gateway FastAPI app: authentication, request ids, routing, problem+json."""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from gateway.config import Settings
from gateway.keys import KeyStore, Principal, Role
from gateway.limits import RequestLimits
from gateway.routing import forward, service_for
from shared.db import create_engine, ping, sessionmaker
from shared.errors import DomainError, Forbidden, NotFound, install_problem_handlers, problem
from shared.events.asyncapi import build as build_asyncapi
from shared.logging import bind_context, clear_context, configure_logging, get_logger

log = get_logger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role
    customer_id: UUID | None = None


class ApiKeyCreated(BaseModel):
    id: UUID
    name: str
    role: Role
    customer_id: UUID | None
    key: str = Field(description="Shown once; store it now")


async def principal(request: Request) -> Principal:
    """The caller of an ``/api`` route, from ``Authorization: Bearer <key>``."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized(
            "Send an API key as 'Authorization: Bearer <key>'; ask an admin for one.",
            slug="missing-api-key",
        )
    store: KeyStore = request.app.state.keys
    found = await store.authenticate(key.strip())
    if found is None:
        raise Unauthorized(
            "The API key is unknown or revoked; ask an admin for a new one.", slug="invalid-api-key"
        )
    bind_context(principal=str(found.key_id), role=found.role)
    return found


PrincipalDep = Annotated[Principal, Depends(principal)]


def _admin(who: PrincipalDep) -> Principal:
    if who.role != Role.admin:
        raise Forbidden("Only an admin key may manage API keys.", slug="admin-only")
    return who


def create_app(
    settings: Settings | None = None, *, upstream_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """Build the gateway; nothing connects until the lifespan starts.

    ``upstream_transport`` replaces the network for upstream calls (tests).
    """
    settings = settings or Settings()
    configure_logging(service="gateway", level=settings.log_level, json=settings.log_json)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database)
        app.state.engine = engine
        app.state.keys = KeyStore(sessionmaker(engine), cache_seconds=settings.key_cache_seconds)
        app.state.clients = {
            name: httpx.AsyncClient(
                base_url=url,
                timeout=settings.upstream_timeout_seconds,
                limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
                transport=upstream_transport,
            )
            for name, url in settings.upstreams().items()
        }
        if settings.admin_api_key:
            await app.state.keys.seed_admin(settings.admin_api_key)
        log.info("gateway started", upstreams=settings.upstreams())
        try:
            yield
        finally:
            for client in app.state.clients.values():
                await client.aclose()
            await engine.dispose()

    app = FastAPI(title="Support desk API", version="1.0.0", lifespan=lifespan)
    install_problem_handlers(app)

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        request.state.request_id = rid
        clear_context()
        bind_context(request_id=rid)
        response = await call_next(request)
        response.headers["x-request-id"] = rid
        return response

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

    asyncapi = build_asyncapi()

    @app.get("/asyncapi.json", tags=["events"])
    async def event_catalogue() -> dict[str, Any]:
        """The AsyncAPI 3.0 document of every topic and event type."""
        return asyncapi

    keys = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])

    @keys.post("", status_code=201)
    async def create_key(
        body: ApiKeyCreate, request: Request, _: Annotated[Principal, Depends(_admin)]
    ) -> ApiKeyCreated:
        """Issue an API key (admin only); the key is shown once."""
        key, key_id = await request.app.state.keys.create(
            name=body.name, role=body.role, customer_id=body.customer_id
        )
        return ApiKeyCreated(
            id=key_id, name=body.name, role=body.role, customer_id=body.customer_id, key=key
        )

    @keys.delete("/{key_id}", status_code=204)
    async def revoke_key(
        key_id: UUID, request: Request, _: Annotated[Principal, Depends(_admin)]
    ) -> Response:
        """Revoke an API key (admin only)."""
        if not await request.app.state.keys.revoke(key_id):
            raise NotFound(f"No active API key {key_id}.")
        return Response(status_code=204)

    app.include_router(keys)
    # Outermost: refuse what is too large or too slow before any other work is done.
    app.add_middleware(RequestLimits, limits=settings.limits)

    @app.api_route(
        "/api/v1/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def proxy(path: str, request: Request, who: PrincipalDep) -> Response:
        service = service_for(path)
        if service is None:
            return problem(
                status=404,
                title="Not Found",
                detail=f"No API at /api/v1/{path}; see the README for the routes.",
                instance=request.url.path,
            )
        clients: dict[str, Any] = request.app.state.clients
        return await forward(
            request,
            service=service,
            client=clients[service],
            principal=who,
            request_id=request.state.request_id,
            internal_token=settings.internal_token,
        )

    return app
