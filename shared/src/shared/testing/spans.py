"""Capture the spans a test makes: the SDK's in-memory exporter as the tracing backend.

OpenTelemetry lets a process set its tracer provider once; a test swaps it in and
puts the previous one back, so the rest of the session keeps the no-op default.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.util._once import Once

from shared.observability.tracing import instrument_libraries, uninstrument_libraries


@contextlib.contextmanager
def capture_spans(*, libraries: bool = False) -> Iterator[InMemorySpanExporter]:
    """Record every finished span of the block in memory (read ``get_finished_spans()``).

    With ``libraries``, asyncpg and httpx are instrumented for the block, as
    ``configure_tracing`` does in a process that exports traces.
    """
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous, once = trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE
    trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = None, Once()
    trace.set_tracer_provider(provider)
    if libraries:
        instrument_libraries(provider)
    try:
        yield exporter
    finally:
        if libraries:
            uninstrument_libraries()
        provider.shutdown()
        trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = previous, once


def named(spans: Sequence[ReadableSpan], prefix: str) -> ReadableSpan:
    """The one finished span whose name starts with ``prefix``."""
    [span] = [s for s in spans if s.name.startswith(prefix)]
    return span


def descends(spans: Sequence[ReadableSpan], child: ReadableSpan, ancestor: ReadableSpan) -> bool:
    """True if ``ancestor`` is on ``child``'s chain of parents among ``spans``."""
    by_id = {s.context.span_id: s for s in spans}
    parent = child.parent
    while parent is not None:
        if parent.span_id == ancestor.context.span_id:
            return True
        found = by_id.get(parent.span_id)
        parent = found.parent if found is not None else None
    return False
