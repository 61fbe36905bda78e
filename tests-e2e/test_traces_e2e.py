"""One trace of a ticket across the running processes, as their OTLP exporters send it.

The gateway, intake, entitlement, sla-clock and notification are restarted with
``OTEL_EXPORTER_OTLP_ENDPOINT`` pointing at an OTLP/HTTP receiver in this test (the
production exporter, not a stand-in), a ticket is posted at the gateway, and the
spans the processes export are joined by trace id: the gateway's request, its HTTP
call to intake, intake's SQL (the ticket and its outbox row), sla-clock consuming
the event from Kafka and its SQL, and notification sending the registration email.
The processes are restarted without tracing afterwards.
"""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import pytest_asyncio
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from deskstack.stack import RunningStack
from shared.testing.builders import make_customer_contact

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

TRACED = ("gateway", "intake", "entitlement", "sla-clock", "notification")


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, str]


class Receiver(ThreadingHTTPServer):
    """An OTLP/HTTP (protobuf) trace receiver that keeps every span it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spans: list[Span] = []
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest.FromString(body)
        found = []
        for resource in request.resource_spans:
            attrs = {a.key: a.value.string_value for a in resource.resource.attributes}
            for scope in resource.scope_spans:
                for s in scope.spans:
                    found.append(
                        Span(
                            service=attrs.get("service.name", ""),
                            name=s.name,
                            trace_id=s.trace_id.hex(),
                            span_id=s.span_id.hex(),
                            parent_id=s.parent_span_id.hex(),
                            attributes={
                                a.key: a.value.string_value or str(a.value.int_value)
                                for a in s.attributes
                            },
                        )
                    )
        with self.server.lock:
            self.server.spans.extend(found)
        reply = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the exporters post every few hundred milliseconds."""


def _restart(stack: RunningStack, env: dict[str, str] | None) -> None:
    for name in TRACED:
        stack.stop(name)
        if env is None:
            stack.extra_env.get(name, {}).pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
            stack.extra_env.get(name, {}).pop("OTEL_BSP_SCHEDULE_DELAY", None)
        else:
            stack.extra_env.setdefault(name, {}).update(env)
        stack.start(name)
    stack.wait_ready(list(TRACED), timeout=90)


@pytest.fixture(scope="module")
def receiver(stack: RunningStack) -> Iterator[Receiver]:
    """The receiver, and the traced processes exporting to it for this module only."""
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _restart(
        stack, {"OTEL_EXPORTER_OTLP_ENDPOINT": server.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    )
    try:
        yield server
    finally:
        _restart(stack, None)
        server.shutdown()
        thread.join(5)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ticket_trace(receiver: Receiver, api: httpx.AsyncClient) -> AsyncIterator[list[Span]]:
    """Post a ticket at the gateway; yield its trace once the registration email is in it."""
    _, contact = await make_customer_contact(api, "standard", language="en")
    reply = await api.post(
        "/api/v1/tickets",
        json={"contact_email": contact["email"], "subject": "Traced", "severity": "high"},
    )
    assert reply.status_code == 201, reply.text
    deadline = time.monotonic() + 60
    while True:
        with receiver.lock:
            spans = list(receiver.spans)
        # One ticket is posted while the receiver listens: intake's span of it names the trace.
        posted = {
            s.trace_id for s in spans if s.service == "intake" and s.name == "POST /api/v1/tickets"
        }
        if any(s.name == "deliver email" and s.trace_id in posted for s in spans):
            [trace_id] = posted
            yield [s for s in spans if s.trace_id == trace_id]
            return
        assert time.monotonic() < deadline, "no trace reached the registration email"
        await asyncio.sleep(0.5)


def _one(spans: list[Span], service: str, prefix: str) -> Span:
    found = [s for s in spans if s.service == service and s.name.startswith(prefix)]
    assert found, (service, prefix, sorted({(s.service, s.name) for s in spans}))
    return found[0]


def _descends(spans: list[Span], child: Span, ancestor: Span) -> bool:
    by_id = {s.span_id: s for s in spans}
    parent = by_id.get(child.parent_id)
    while parent is not None:
        if parent.span_id == ancestor.span_id:
            return True
        parent = by_id.get(parent.parent_id)
    return False


def _sql(spans: list[Span], service: str) -> list[Span]:
    return [s for s in spans if s.service == service and s.attributes.get("db.system")]


async def test_one_trace_from_the_gateway_to_the_email(ticket_trace: list[Span]) -> None:
    spans = ticket_trace
    gateway = _one(spans, "gateway", "POST /api/v1/{path}")
    intake = _one(spans, "intake", "POST /api/v1/tickets")
    consumed = _one(spans, "sla-clock", "consume ticket.created")
    email = _one(spans, "notification", "deliver email")

    assert not gateway.parent_id  # the trace starts at the gateway
    assert _descends(spans, intake, gateway)
    assert _descends(spans, consumed, intake)  # through the outbox row and Kafka
    assert _descends(spans, email, gateway)
    assert email.attributes["notification.channel"] == "email"


async def test_sql_and_outbound_http_have_spans(ticket_trace: list[Span]) -> None:
    spans = ticket_trace
    intake = _one(spans, "intake", "POST /api/v1/tickets")
    consumed = _one(spans, "sla-clock", "consume ticket.created")
    intake_sql = _sql(spans, "intake")
    statements = " ".join(s.attributes.get("db.statement", s.name) for s in intake_sql)

    assert intake_sql
    assert all(_descends(spans, s, intake) for s in intake_sql)
    assert "outbox" in statements  # the event's row, in the request's transaction
    assert any(_descends(spans, s, consumed) for s in _sql(spans, "sla-clock"))
    # httpx client spans: the gateway's call to intake, intake's to entitlement.
    clients = [
        s
        for s in spans
        if s.attributes.get("http.request.method") or s.attributes.get("http.method")
    ]
    assert {"gateway", "intake"} <= {s.service for s in clients}
    assert _one(spans, "entitlement", "GET")
