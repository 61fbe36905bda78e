"""The live stream's memory: a bounded window of recent events and the subscribers they go to.

Pure and synchronous (no broker, no I/O), so the rules of the stream are tested
without Kafka: what a client that reconnects with ``Last-Event-ID`` gets back, what a
filter admits, what a customer-bound key may see, and what happens to a client too
slow to keep up (its stream ends; it reconnects and resumes from the window, so a
slow tab never holds the others back nor grows the gateway's memory).

Ids are ``<epoch>.<seq>``: ``seq`` counts the events this process received and
``epoch`` names the process's hub, so an id from another replica or from before a
restart is recognised as foreign (the client is told there is a gap and reloads
from the APIs) instead of resuming at the wrong place.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A ticket's support line, remembered from its events for the ``line`` filter (LRU).
_LINE_MEMORY = 100_000


@dataclass(frozen=True)
class StreamEvent:
    """One event as the stream sends it, with what the filters look at."""

    seq: int
    id: str
    topic: str
    type: str
    ticket_id: str | None
    customer_ids: frozenset[str]
    line: int | None
    body: dict[str, Any]
    # ``body`` as JSON, encoded once however many subscribers it goes to.
    data: str


@dataclass(frozen=True)
class StreamFilter:
    """What one subscriber asked for; empty fields admit everything."""

    types: tuple[str, ...] = ()
    ticket_id: str | None = None
    customer_id: str | None = None
    line: int | None = None

    def admits(self, event: StreamEvent) -> bool:
        if self.types and not any(_type_matches(event.type, t) for t in self.types):
            return False
        if self.ticket_id is not None and event.ticket_id != self.ticket_id:
            return False
        if self.customer_id is not None and self.customer_id not in event.customer_ids:
            return False
        return self.line is None or event.line == self.line


def _type_matches(event_type: str, wanted: str) -> bool:
    """``sla.timer.breached`` exactly, or a family: ``sla.*`` / ``sla.timer.*``."""
    if wanted.endswith("*"):
        return event_type.startswith(wanted[:-1])
    return event_type == wanted


@dataclass(eq=False)
class Subscription:
    """One connected client: its filter and the queue the hub fills."""

    filter: StreamFilter
    queue: asyncio.Queue[StreamEvent]
    # Set when the queue overflowed: the client drains what it has, then its stream ends.
    overflowed: bool = False


@dataclass
class Resume:
    """What a (re)connecting client gets first: the missed events, or word of a gap."""

    missed: list[StreamEvent] = field(default_factory=list)
    gap: bool = False


class Fanout:
    """The last ``window`` events and the live subscribers."""

    def __init__(self, *, window: int, queue_size: int) -> None:
        self.epoch = secrets.token_hex(4)
        self._seq = 0
        self._window: deque[StreamEvent] = deque(maxlen=window)
        self._queue_size = queue_size
        self._subscribers: set[Subscription] = set()
        self._lines: OrderedDict[str, int] = OrderedDict()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @property
    def last_id(self) -> str:
        return f"{self.epoch}.{self._seq}"

    def publish(self, topic: str, envelope: Mapping[str, Any]) -> StreamEvent:
        """Number ``envelope``, keep it in the window and hand it to every subscriber."""
        self._seq += 1
        event = self._describe(topic, envelope)
        self._window.append(event)
        for sub in list(self._subscribers):
            if not sub.filter.admits(event):
                continue
            try:
                sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                sub.overflowed = True
                self._subscribers.discard(sub)
        return event

    def subscribe(
        self, wanted: StreamFilter, last_event_id: str | None
    ) -> tuple[Subscription, Resume]:
        """Register a subscriber and return what it missed since ``last_event_id``.

        No ``await`` between the two, so no event falls between replay and live.
        """
        resume = self.since(wanted, last_event_id)
        sub = Subscription(filter=wanted, queue=asyncio.Queue(self._queue_size))
        self._subscribers.add(sub)
        return sub, resume

    def unsubscribe(self, sub: Subscription) -> None:
        self._subscribers.discard(sub)

    def since(self, wanted: StreamFilter, last_event_id: str | None) -> Resume:
        """The window's events after ``last_event_id`` that ``wanted`` admits."""
        if not last_event_id:
            return Resume()
        epoch, _, raw_seq = last_event_id.partition(".")
        oldest = self._window[0].seq if self._window else self._seq + 1
        if epoch != self.epoch or not raw_seq.isdigit():
            return Resume(gap=True)
        seq = int(raw_seq)
        if seq > self._seq or seq < oldest - 1:  # from the future, or fell out of the window
            return Resume(gap=True)
        return Resume(missed=[e for e in self._window if e.seq > seq and wanted.admits(e)])

    def recent(self, wanted: StreamFilter, limit: int) -> list[StreamEvent]:
        """The last ``limit`` events of the window that ``wanted`` admits."""
        found = [e for e in reversed(self._window) if wanted.admits(e)][:limit]
        return found[::-1]

    def _describe(self, topic: str, envelope: Mapping[str, Any]) -> StreamEvent:
        data = envelope.get("data")
        data = data if isinstance(data, dict) else {}
        ticket = _text(data.get("ticket_id"))
        event_id = f"{self.epoch}.{self._seq}"
        body = {"id": event_id, "topic": topic, "event": dict(envelope)}
        return StreamEvent(
            seq=self._seq,
            id=event_id,
            topic=topic,
            type=str(envelope.get("type", "")),
            ticket_id=ticket,
            customer_ids=_customers(data),
            line=self._line(str(envelope.get("type", "")), ticket, data),
            body=body,
            data=json.dumps(body, separators=(",", ":"), default=str),
        )

    def _line(self, event_type: str, ticket: str | None, data: Mapping[str, Any]) -> int | None:
        """The event's support line: its own ``line``, else the ticket's as last seen.

        A new ticket starts at line 1; ``ticket.escalated`` moves it. A ticket whose
        events this process has not seen since it started has no known line.
        """
        own = data.get("line")
        if event_type == "ticket.created":
            own = 1
        if ticket is None:
            return own if isinstance(own, int) else None
        if isinstance(own, int) and event_type.startswith("ticket."):
            self._lines[ticket] = own
            self._lines.move_to_end(ticket)
            while len(self._lines) > _LINE_MEMORY:
                self._lines.popitem(last=False)
        return own if isinstance(own, int) else self._lines.get(ticket)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _customers(data: Mapping[str, Any]) -> frozenset[str]:
    """Every customer an event concerns: its ``customer_id``, or a release's ``customer_ids``."""
    found: Iterable[object] = data.get("customer_ids") or ()
    one = data.get("customer_id")
    return frozenset(str(c) for c in (*found, *([one] if one is not None else [])))
