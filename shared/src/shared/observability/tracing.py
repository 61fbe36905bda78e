"""OpenTelemetry traces across HTTP and Kafka, exported with OTLP only when asked.

With ``OTEL_EXPORTER_OTLP_ENDPOINT`` unset no SDK provider is installed: the API's
no-op tracer makes every helper here a few attribute reads, and nothing is sent.
HTTP server spans are FastAPI's own (its native telemetry starts once a provider
is set, continuing the caller's ``traceparent``); this module adds what FastAPI
cannot see: the outgoing hop, the event envelope and the consumer's span.
The W3C ``traceparent`` travels in HTTP headers (gateway → services, intake →
entitlement) and, for Kafka, in the envelope's ``traceparent`` attribute (the
CloudEvents distributed-tracing extension), which the outbox stores with the
event, so the trace survives the relay and a replay. With a provider installed,
asyncpg and httpx are instrumented too (:func:`instrument_libraries`): a span per
SQL statement and per outbound HTTP request.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from opentelemetry import propagate, trace
from opentelemetry.trace import ProxyTracerProvider, SpanKind

if TYPE_CHECKING:
    import httpx
    from opentelemetry.trace import TracerProvider

    from shared.events.base import Envelope

TRACER = "support-desk"
_configured: list[str] = []


def configure_tracing(service: str) -> bool:
    """Install the SDK with an OTLP exporter if the endpoint is set; return whether it did.

    Once per process: the global provider cannot be replaced (the SDK warns and ignores it).
    """
    if _configured or not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return bool(_configured)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(
        resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service)})
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    instrument_libraries(provider)
    _configured.append(service)
    return True


def instrument_libraries(provider: TracerProvider | None = None) -> None:
    """A span per asyncpg statement and per httpx request, recorded by ``provider``.

    Only called once a real provider exists: the instrumentors bind their tracer when
    they patch, and a patch under the no-op default would cost a wrapper per statement
    for nothing. The statement is recorded as SQL text, never its parameters (they
    carry customers' data). The httpx span injects its own ``traceparent``, so the
    called service's server span is its child.
    """
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    AsyncPGInstrumentor(capture_parameters=False).instrument(  # type: ignore[no-untyped-call]
        tracer_provider=provider
    )
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)


def uninstrument_libraries() -> None:
    """Undo :func:`instrument_libraries` (tests that swap providers)."""
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    AsyncPGInstrumentor().uninstrument()  # type: ignore[no-untyped-call]
    HTTPXClientInstrumentor().uninstrument()


def active() -> bool:
    """True when a real (SDK) provider records spans; False under the no-op default."""
    return not isinstance(trace.get_tracer_provider(), ProxyTracerProvider)


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, or None outside any sampled trace."""
    if not active():
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


async def inject_headers(request: httpx.Request) -> None:
    """httpx request hook: carry the current trace to the service called."""
    propagate.inject(request.headers)


@contextlib.contextmanager
def consumer_span(envelope: Envelope, *, consumer: str = "") -> Iterator[None]:
    """The span of handling one event, child of the span that published it."""
    if not active():
        yield
        return
    carrier = {"traceparent": envelope.traceparent} if envelope.traceparent else {}
    with trace.get_tracer(TRACER).start_as_current_span(
        f"consume {envelope.type}",
        context=propagate.extract(carrier),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.message.id": str(envelope.id),
            "messaging.consumer.group.name": consumer,
            "cloudevents.event_type": envelope.type,
        },
    ):
        yield


@contextlib.contextmanager
def client_span(name: str, traceparent: str | None, **attributes: str) -> Iterator[None]:
    """A CLIENT span continuing a stored ``traceparent`` (work done later, off the request).

    notification's worker sends a delivery long after the event that planned it was
    consumed; the delivery row keeps that consumer span's ``traceparent``, so the
    email or webhook shows in the ticket's trace.
    """
    if not active():
        yield
        return
    carrier = {"traceparent": traceparent} if traceparent else {}
    with trace.get_tracer(TRACER).start_as_current_span(
        name, context=propagate.extract(carrier), kind=SpanKind.CLIENT, attributes=attributes
    ):
        yield
