"""``GET /api/v1/stream``: the platform's events, live, as Server-Sent Events.

Served by the gateway itself (like ``/openapi.json``), from the process's one
:class:`~gateway.stream_hub.StreamHub`. A client that reconnects with
``Last-Event-ID``, to this replica or any other, gets what it missed (from the
hub's window, or read back from Kafka: ids are Kafka positions), or an
``event: gap`` when that is no longer possible (then it reloads what it shows
from the APIs).
A comment line every ``heartbeat`` seconds keeps proxies from closing an idle
stream. A request that does not accept ``text/event-stream`` gets the window's
recent matching events as JSON instead (polling clients, curl, the access matrix).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse

from gateway.auth import require
from gateway.fanout import (
    Resume,
    StreamEvent,
    StreamFilter,
    Subscription,
    encode_position,
    furthest,
)
from gateway.keys import Principal
from gateway.stream_hub import Gap, StreamHub
from shared.auth import ANYONE, CUSTOMER_ROLES
from shared.errors import NotFound
from shared.logging import get_logger

log = get_logger(__name__)

Watcher = Annotated[Principal, Depends(require(*ANYONE))]
# How long a client waits before reconnecting after the stream ends (the SSE ``retry``).
RETRY_MS = 1000
BATCH = 500


def _filter(
    who: Principal,
    *,
    types: str | None,
    ticket: UUID | None,
    customer: UUID | None,
    line: int | None,
) -> StreamFilter:
    """The subscriber's filter; a customer-bound key is held to its own customer."""
    if who.role in CUSTOMER_ROLES:
        if customer is not None and customer != who.customer_id:
            raise NotFound("No customer with that id is visible to this key.")
        customer = who.customer_id
    wanted = tuple(t.strip() for t in (types or "").split(",") if t.strip())
    return StreamFilter(
        types=wanted,
        ticket_id=None if ticket is None else str(ticket),
        customer_id=None if customer is None else str(customer),
        line=line,
    )


async def _snapshot(
    hub: StreamHub, wanted: StreamFilter, last_event_id: str | None, limit: int
) -> dict[str, Any]:
    """The JSON answer: the latest ``limit`` events, or the first ``limit`` after an id.

    Its ``last_event_id`` is where the next poll goes on from, so paging through what
    was missed loses nothing.
    """
    if not last_event_id:
        return {
            "last_event_id": hub.fanout.last_id,
            "gap": False,
            "items": [e.body for e in hub.fanout.recent(wanted, limit)],
        }
    resume = hub.fanout.since(wanted, last_event_id)
    gap_answer = {"last_event_id": encode_position(resume.position), "gap": True, "items": []}
    if resume.gap:
        return gap_answer
    events: list[StreamEvent] = []
    more = False
    try:
        async with contextlib.aclosing(hub.resume_from(resume)) as missed:
            async for event in missed:
                if not wanted.admits(event):
                    continue
                if len(events) == limit:
                    more = True
                    break
                events.append(event)
    except Gap as exc:
        log.warning("stream resumed with a gap", reason=str(exc))
        return gap_answer
    assert resume.resumed_from is not None
    until = furthest(resume.position, resume.resumed_from)
    return {
        "last_event_id": events[-1].id if more else encode_position(until),
        "gap": False,
        "items": [e.body for e in events],
    }


def _messages(events: Sequence[StreamEvent]) -> str:
    return "".join(f"id: {e.id}\ndata: {e.data}\n\n" for e in events)


async def _events(
    request: Request, hub: StreamHub, sub: Subscription, resume: Resume, heartbeat: float
) -> AsyncIterator[str]:
    """The SSE body: the retry hint, a gap or the missed events, then live events.

    Whatever waits in the client's queue goes out as one chunk (up to ``BATCH``
    events): under load one write carries many events instead of one write each.
    """
    gap = f"event: gap\nid: {encode_position(resume.position)}\ndata: {{}}\n\n"
    try:
        yield f"retry: {RETRY_MS}\n\n"
        if resume.gap:
            yield gap
        else:
            try:
                batch: list[StreamEvent] = []
                # Closed even when the client leaves mid-replay: the read-back's consumer stops.
                async with contextlib.aclosing(hub.resume_from(resume)) as missed:
                    async for event in missed:
                        if sub.filter.admits(event):
                            batch.append(event)
                        if len(batch) >= BATCH:
                            yield _messages(batch)
                            batch = []
                if batch:
                    yield _messages(batch)
            except Gap as exc:
                # Go on live from the tail's position at subscription (the queue holds
                # what came since); the client reloads from the APIs. The floor stays:
                # live events the client already had are still not sent again.
                log.warning("stream resumed with a gap", reason=str(exc))
                if resume.resumed_from is None:  # a position of another log: no floor
                    sub.floor = None
                yield gap
        while not (sub.overflowed and sub.queue.empty()):
            try:
                batch = [await asyncio.wait_for(sub.queue.get(), heartbeat)]
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": heartbeat\n\n"
                continue
            while len(batch) < BATCH and not sub.queue.empty():
                batch.append(sub.queue.get_nowait())
            yield _messages(batch)
    finally:
        hub.fanout.unsubscribe(sub)


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["stream"])

    @api.get("/stream", response_model=None)
    async def stream(
        request: Request,
        who: Watcher,
        types: Annotated[
            str | None,
            Query(alias="type", max_length=1000, description="Types, comma-separated; `sla.*`"),
        ] = None,
        ticket: UUID | None = None,
        customer: Annotated[
            UUID | None, Query(description="Staff only; a customer key sees its own")
        ] = None,
        line: Annotated[
            int | None, Query(ge=1, le=3, description="The ticket's support line")
        ] = None,
        heartbeat: Annotated[
            float | None, Query(ge=1, le=60, description="Seconds between heartbeats")
        ] = None,
        limit: Annotated[
            int, Query(ge=1, le=1000, description="JSON answer: at most this many")
        ] = 100,
        since: Annotated[
            str | None,
            Query(
                max_length=4000,
                description="An event id to resume from when no Last-Event-ID is sent "
                "(a page passes the position it was rendered at)",
            ),
        ] = None,
        # A position names every streamed partition's offset: longer than a counter.
        last_event_id: Annotated[str | None, Header(max_length=4000)] = None,
    ) -> StreamingResponse | dict[str, Any]:
        """Events as they happen (``Accept: text/event-stream``), filtered; resumable."""
        wanted = _filter(who, types=types, ticket=ticket, customer=customer, line=line)
        last_event_id = last_event_id or since  # a reconnect's own header goes first
        hub: StreamHub = request.app.state.hub
        await hub.ensure_started()
        if "text/event-stream" not in request.headers.get("accept", ""):
            return await _snapshot(hub, wanted, last_event_id, limit)
        sub, resume = hub.fanout.subscribe(wanted, last_event_id)
        return StreamingResponse(
            _events(request, hub, sub, resume, heartbeat or hub.settings.heartbeat_seconds),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return api
