"""Prometheus metrics of one process: HTTP by route, and gauges sampled when scraped.

The request path pays for one dict lookup and two histogram/counter updates
(:class:`MetricsMiddleware` is pure ASGI: no extra task, no body buffering).
Anything that needs the database or the broker (outbox backlog, consumer lag,
timers due) is sampled by :meth:`Scrape.render` when ``GET /metrics`` is called,
so an idle scraper costs nothing and a busy API costs no queries.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import get_logger

log = get_logger(__name__)
# The *_created series would double the scrape, and no alert reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

# Module-level families: one per process (each service runs in its own process).
HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CONSUMER_LAG = Gauge(
    "kafka_consumer_lag",
    "Records not yet consumed (high watermark minus position), by topic and partition.",
    ["consumer", "topic", "partition"],
)
DEAD_LETTERED = Counter(
    "consumer_dead_lettered",
    "Records this process parked on the dead-letter topic, by consumer and source topic.",
    ["consumer", "topic"],
)
OUTBOX_BACKLOG = Gauge("outbox_backlog", "Outbox rows not yet published.", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "outbox_oldest_unsent_age_seconds",
    "Age of the oldest unpublished outbox row (0 when none waits).",
    ["service"],
)
UNMATCHED = "unmatched"  # one label for every unrouted path: no label per random URL

Sampler = Callable[[], Awaitable[None]]


class Scrape:
    """What ``GET /metrics`` runs: every sampler, then the text exposition."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.registry = registry
        self.samplers: list[Sampler] = []

    def on_scrape(self, sampler: Sampler) -> None:
        """Run ``sampler`` at each scrape (it sets gauges; a failure leaves the last values)."""
        self.samplers.append(sampler)

    async def render(self) -> bytes:
        """Sample, then encode the registry in the Prometheus text format."""
        for sampler in self.samplers:
            try:
                await sampler()
            except Exception as exc:  # a metric must never turn a scrape into a 500
                log.warning("metrics sampler failed", sampler=repr(sampler), error=repr(exc))
        return generate_latest(self.registry)


CONTENT_TYPE = CONTENT_TYPE_LATEST


def route_template(scope: Scope) -> str:
    """The matched route's full path template (``/api/v1/tickets/{ticket_id}``), else ``unmatched``.

    FastAPI (0.16x) keeps included routers nested: ``scope["route"]`` is then the inner
    route, without the include prefix, and the full template is on the effective route
    context FastAPI records in the scope (what its own telemetry names ``http.route``).
    A flat Starlette route carries its full template itself.
    """
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    template = getattr(context, "path_format", None)
    if template is None:
        route = scope.get("route")
        template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(template) if template else UNMATCHED


class MetricsMiddleware:
    """Pure ASGI: count and time each HTTP request by route template and status.

    No span here: FastAPI's native telemetry opens the HTTP server span (continuing the
    caller's ``traceparent``) as soon as :func:`~shared.observability.tracing.configure_tracing`
    installed a provider, and a second span per request would only double the trace.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: MutableMapping[str, int] = {"code": 500}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = route_template(scope)
            method = scope.get("method", "")
            HTTP_REQUESTS.labels(method=method, route=route, status=str(status["code"])).inc()
            HTTP_LATENCY.labels(method=method, route=route).observe(time.perf_counter() - started)
