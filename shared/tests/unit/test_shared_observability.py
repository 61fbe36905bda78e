"""The metrics middleware and the trace propagation, on small in-process apps."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from opentelemetry import trace
from prometheus_client import REGISTRY

from shared.events.base import Envelope
from shared.events.escalations import EscalationRaised
from shared.observability import tracing
from shared.observability.metrics import DEAD_LETTERED
from shared.observability.wiring import instrument, metrics_response
from shared.testing.spans import capture_spans, descends, named


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _app(name: str, *, call: httpx.AsyncClient | None = None) -> FastAPI:
    app = FastAPI()
    instrument(app, service=name)

    @app.get(f"/{name}/items/{{item_id}}")
    async def item(item_id: str, request: Request) -> dict[str, str | None]:
        if call is not None:
            await call.get(f"/inner/items/{item_id}")
        return {"traceparent": request.headers.get("traceparent")}

    app.add_api_route("/metrics", metrics_response, methods=["GET"])
    return app


def _client(app: FastAPI, *, hooks: bool = False) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        event_hooks={"request": [tracing.inject_headers]} if hooks else None,
    )


@pytest.mark.asyncio
class TestRequestMetrics:
    async def test_counts_requests_by_route_template_and_status(self) -> None:
        labels = {"method": "GET", "route": "/m1/items/{item_id}", "status": "200"}
        before = _sample("http_requests_total", **labels)

        async with _client(_app("m1")) as client:
            for n in range(3):
                assert (await client.get(f"/m1/items/{n}")).status_code == 200

        assert _sample("http_requests_total", **labels) == before + 3
        assert (
            _sample(
                "http_request_duration_seconds_count", method="GET", route="/m1/items/{item_id}"
            )
            >= 3
        )

    async def test_an_included_routers_prefix_is_part_of_the_template(self) -> None:
        app, router = _app("m4"), APIRouter()

        @router.get("/things/{thing_id}")
        async def thing(thing_id: int) -> int:
            return thing_id

        app.include_router(router, prefix="/api/v1")
        labels = {"method": "GET", "route": "/api/v1/things/{thing_id}", "status": "200"}
        before = _sample("http_requests_total", **labels)

        async with _client(app) as client:
            assert (await client.get("/api/v1/things/5")).json() == 5

        assert _sample("http_requests_total", **labels) == before + 1

    async def test_an_unrouted_path_is_one_label_not_one_per_url(self) -> None:
        labels = {"method": "GET", "route": "unmatched", "status": "404"}
        before = _sample("http_requests_total", **labels)

        async with _client(_app("m2")) as client:
            await client.get("/nowhere/1")
            await client.get("/nowhere/2")

        assert _sample("http_requests_total", **labels) == before + 2

    async def test_metrics_answer_prometheus_text_with_the_families(self) -> None:
        DEAD_LETTERED.labels(consumer="c", topic="t").inc()
        async with _client(_app("m3")) as client:
            reply = await client.get("/metrics")

        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/plain")
        for family in ("http_requests_total", "consumer_dead_lettered_total"):
            assert f"# TYPE {family} counter" in reply.text
        assert 'consumer_dead_lettered_total{consumer="c",topic="t"}' in reply.text


def _configured_in_a_fresh_process(**env: str) -> str:
    """What ``configure_tracing`` does in a process of its own (the provider is set once)."""
    code = (
        "from shared.observability import tracing\n"
        "print(tracing.configure_tracing('probe'), tracing.active())"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, check=True
    )
    return done.stdout.decode().strip()


class TestTracingSetup:
    def test_the_otlp_exporter_is_installed_only_when_its_endpoint_is_set(self) -> None:
        assert _configured_in_a_fresh_process() == "False False"
        assert (
            _configured_in_a_fresh_process(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:4318")
            == "True True"
        )


@pytest.mark.asyncio
class TestTracing:
    async def test_off_without_a_provider_nothing_is_carried(self) -> None:
        async with _client(_app("t0")) as client:
            reply = await client.get("/t0/items/1")

        assert not tracing.active()
        assert reply.json() == {"traceparent": None}
        assert tracing.current_traceparent() is None

    async def test_one_trace_crosses_two_services_over_http(self) -> None:
        with capture_spans() as exporter:
            inner = _client(_app("inner"), hooks=True)
            async with inner, _client(_app("outer", call=inner), hooks=True) as outer:
                await outer.get("/outer/items/7")
            spans = exporter.get_finished_spans()

        first = named(spans, "GET /outer/items/{item_id}")
        second = named(spans, "GET /inner/items/{item_id}")
        assert first.kind == second.kind == trace.SpanKind.SERVER
        assert first.parent is None
        assert second.context.trace_id == first.context.trace_id
        assert descends(spans, second, first)

    async def test_an_event_carries_its_publisher_span_to_the_consumer_span(self) -> None:
        with capture_spans() as exporter:
            with trace.get_tracer("test").start_as_current_span("publish") as publisher:
                envelope = Envelope.wrap(
                    EscalationRaised(ticket_id=uuid.uuid4(), level=1, trigger="t"),
                    source="test",
                    subject="s",
                )
            wire = Envelope.model_validate_json(envelope.model_dump_json())
            with tracing.consumer_span(wire, consumer="c"):
                pass
            consumed = named(exporter.get_finished_spans(), "consume escalation.raised")

        assert wire.traceparent is not None
        assert consumed.context.trace_id == publisher.get_span_context().trace_id
        assert consumed.parent is not None
        assert consumed.parent.span_id == publisher.get_span_context().span_id
        assert consumed.kind == trace.SpanKind.CONSUMER
