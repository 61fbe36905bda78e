"""Wire metrics and tracing into a service app: middleware, ``GET /metrics``, runtime samplers.

A service's ``/metrics`` answers without the internal token, like ``/health/*``:
the scraper sits inside the network, next to the services, and the figures carry
no customer data (docs/observability.md). The gateway's is for admins only
(``gateway.metrics``), because the gateway faces the outside.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from sqlalchemy import text

from shared.observability.metrics import (
    CONSUMER_LAG,
    CONTENT_TYPE,
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST_AGE,
    MetricsMiddleware,
    Sampler,
    Scrape,
)
from shared.observability.tracing import configure_tracing


def instrument(app: FastAPI, *, service: str) -> Scrape:
    """Trace and count every request of ``app``; return its scrape (``app.state.scrape``)."""
    configure_tracing(service)
    scrape = Scrape()
    app.state.scrape = scrape
    app.add_middleware(MetricsMiddleware)
    return scrape


async def metrics_response(request: Request) -> Response:
    """The Prometheus text exposition of this process, sampled now."""
    scrape: Scrape = request.app.state.scrape
    return Response(await scrape.render(), media_type=CONTENT_TYPE)


def instrument_service(app: FastAPI, runtime: Any) -> None:
    """Everything a service app gets: the middleware, ``GET /metrics``, outbox and lag gauges."""
    scrape = instrument(app, service=runtime.name)
    app.add_api_route("/metrics", metrics_response, methods=["GET"], include_in_schema=False)
    scrape.on_scrape(outbox_sampler(runtime))
    scrape.on_scrape(consumer_lag_sampler(runtime))


def outbox_sampler(runtime: Any) -> Sampler:
    """Outbox rows waiting and the age of the oldest (the partial index on unsent rows serves it)."""

    async def sample() -> None:
        if runtime.engine is None:
            return
        async with runtime.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT count(*) AS n, "
                        "COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) AS age "
                        f'FROM "{runtime.schema}".outbox WHERE published_at IS NULL'
                    )
                )
            ).one()
        OUTBOX_BACKLOG.labels(service=runtime.name).set(row.n)
        OUTBOX_OLDEST_AGE.labels(service=runtime.name).set(float(row.age))

    return sample


def consumer_lag_sampler(runtime: Any) -> Sampler:
    """High watermark minus position for each assigned partition (no broker round trip)."""

    async def sample() -> None:
        events = runtime.consumer
        kafka = getattr(events, "_consumer", None) if events is not None else None
        if kafka is None:
            return
        for tp in kafka.assignment():
            highwater = kafka.highwater(tp)
            if highwater is None:
                continue  # no fetch answered yet for this partition
            position = await kafka.position(tp)
            CONSUMER_LAG.labels(
                consumer=events.name, topic=tp.topic, partition=str(tp.partition)
            ).set(max(highwater - position, 0))

    return sample
