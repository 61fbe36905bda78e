"""The live stream's memory: a bounded window of recent events and the subscribers they go to.

Pure and synchronous (no broker, no I/O), so the rules of the stream are tested
without Kafka: what a client that reconnects with ``Last-Event-ID`` gets back, what a
filter admits, what a customer-bound key may see, and what happens to a client too
slow to keep up (its stream ends; it reconnects and resumes from the window, so a
slow tab never holds the others back nor grows the gateway's memory).

Ids are Kafka positions, so any gateway replica can resume from any other's: an
id is the tail's next offset on every partition of the streamed topics just after
the event (``v1.`` and the offsets in base 36, partitions in a fixed order:
:func:`encode_position`). Resuming from an id sends every event at or past those
offsets; what is still in this process's window comes from memory, what is older
is read back from Kafka (``Resume.read_back``, done by the hub), and what the
broker no longer holds (retention) or never held (an id of another cluster, of a
broker that lost its log, or of the old ``<epoch>.<seq>`` form) is a gap.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A ticket's support line, remembered from its events for the ``line`` filter (LRU).
_LINE_MEMORY = 100_000
_ID_VERSION = "v1"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

Position = tuple[int, ...]  # next offset on each partition of the streamed topics


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if number == 0:
            return out


def encode_position(position: Position) -> str:
    """An SSE id: ``v1.`` and each partition's next offset in base 36, dot-separated."""
    return ".".join([_ID_VERSION, *(_base36(o) for o in position)])


def decode_position(value: str, slots: int) -> Position | None:
    """The position an id names, or None when it is not one of ``slots`` partitions."""
    version, _, rest = value.partition(".")
    parts = rest.split(".") if rest else []
    if version != _ID_VERSION or len(parts) != slots:
        return None
    try:
        position = tuple(int(p, 36) for p in parts)
    except ValueError:
        return None
    return position if all(o >= 0 for o in position) else None


def furthest(a: Position, b: Position) -> Position:
    """Partition by partition, the further of two positions."""
    return tuple(max(x, y) for x, y in zip(a, b, strict=True))


def reached(position: Position, target: Position) -> bool:
    """Is ``position`` at or past ``target`` on every partition?"""
    return all(x >= y for x, y in zip(position, target, strict=True))


@dataclass(frozen=True)
class StreamEvent:
    """One event as the stream sends it, with what the filters look at."""

    slot: int  # its partition's index in the position
    offset: int
    position: Position  # the tail's position just after it (its id)
    id: str
    topic: str
    type: str
    ticket_id: str | None
    customer_ids: frozenset[str]
    line: int | None
    body: dict[str, Any]
    # ``body`` as JSON, encoded once however many subscribers it goes to.
    data: str

    def after(self, floor: Position) -> StreamEvent:
        """This event for a subscriber that already had everything before ``floor``: an id
        that does not step back behind ``floor`` (a client that came from a replica ahead
        of this one), so resuming from it does not send again what it had."""
        position = furthest(self.position, floor)
        if position == self.position:
            return self
        event_id = encode_position(position)
        body = {**self.body, "id": event_id}
        return StreamEvent(
            slot=self.slot,
            offset=self.offset,
            position=position,
            id=event_id,
            topic=self.topic,
            type=self.type,
            ticket_id=self.ticket_id,
            customer_ids=self.customer_ids,
            line=self.line,
            body=body,
            data=json.dumps(body, separators=(",", ":"), default=str),
        )


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
    # Where the client resumed from, while this replica's tail is behind it on some
    # partition: live events before it are skipped, later ids never step back behind it.
    floor: Position | None = None

    def admit_live(self, event: StreamEvent) -> StreamEvent | None:
        """``event`` as this client gets it (its id raised to the floor), or None: had it."""
        if self.floor is None:
            return event
        if event.offset < self.floor[event.slot]:
            return None
        if reached(event.position, self.floor):
            self.floor = None
            return event
        return event.after(self.floor)


@dataclass
class Resume:
    """What a (re)connecting client gets first: the missed events, or word of a gap.

    ``read_back`` names, per partition, the offsets ``[from, to)`` that fell out of the
    window (or came before this tail started) and must be read from Kafka before
    ``missed``; ``resumed_from`` is the client's position, ``position`` the tail's.
    """

    missed: list[StreamEvent] = field(default_factory=list)
    gap: bool = False
    read_back: dict[int, tuple[int, int]] = field(default_factory=dict)
    resumed_from: Position | None = None
    position: Position = ()


class Fanout:
    """The last ``window`` events and the live subscribers."""

    def __init__(self, *, window: int, queue_size: int, start: Position = (0,)) -> None:
        self._max_window = window
        self._window: deque[StreamEvent] = deque()
        self._queue_size = queue_size
        self._subscribers: set[Subscription] = set()
        self._lines: OrderedDict[str, int] = OrderedDict()
        self.begin(start)

    def begin(self, start: Position) -> None:
        """Start (again) at ``start``: the tail's first position; the window is emptied."""
        self._position: Position = tuple(start)
        # The position just before the window's oldest event: the window holds every
        # event from here to ``_position``.
        self._floor: Position = self._position
        self._window.clear()

    @property
    def slots(self) -> int:
        return len(self._position)

    @property
    def position(self) -> Position:
        return self._position

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @property
    def last_id(self) -> str:
        return encode_position(self._position)

    def advance(self, slot: int, offset: int) -> None:
        """Move past a record that is not an event (it takes no place in the window)."""
        self._position = _moved(self._position, slot, offset)

    def publish(
        self,
        topic: str,
        envelope: Mapping[str, Any],
        *,
        slot: int = 0,
        offset: int | None = None,
    ) -> StreamEvent:
        """Keep the record at ``offset`` of partition ``slot`` (default: the next one) in the
        window and hand it to every subscriber."""
        offset = self._position[slot] if offset is None else offset
        self._position = _moved(self._position, slot, offset)
        event = self.describe(topic, envelope, slot=slot, offset=offset, position=self._position)
        if len(self._window) >= self._max_window:
            self._floor = self._window.popleft().position
        self._window.append(event)
        for sub in list(self._subscribers):
            if not sub.filter.admits(event):
                continue
            admitted = sub.admit_live(event)
            if admitted is None:
                continue
            try:
                sub.queue.put_nowait(admitted)
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
        if resume.resumed_from is not None and not reached(self._position, resume.resumed_from):
            sub.floor = resume.resumed_from  # the client is ahead of this tail somewhere
        self._subscribers.add(sub)
        return sub, resume

    def unsubscribe(self, sub: Subscription) -> None:
        self._subscribers.discard(sub)

    def since(self, wanted: StreamFilter, last_event_id: str | None) -> Resume:
        """What a client at ``last_event_id`` missed: the window's events at or past its
        position that ``wanted`` admits, after the ranges to read back from Kafka."""
        if not last_event_id:
            return Resume(position=self._position)
        resumed = decode_position(last_event_id, self.slots)
        if resumed is None:  # another form, another cluster's topics: say so
            return Resume(gap=True, position=self._position)
        read_back = {
            slot: (start, end)
            for slot, (start, end) in enumerate(zip(resumed, self._floor, strict=True))
            if start < end
        }
        missed = [
            e.after(resumed)
            for e in self._window
            if e.offset >= resumed[e.slot] and wanted.admits(e)
        ]
        return Resume(
            missed=missed, read_back=read_back, resumed_from=resumed, position=self._position
        )

    def recent(self, wanted: StreamFilter, limit: int) -> list[StreamEvent]:
        """The last ``limit`` events of the window that ``wanted`` admits."""
        found = [e for e in reversed(self._window) if wanted.admits(e)][:limit]
        return found[::-1]

    def describe(
        self,
        topic: str,
        envelope: Mapping[str, Any],
        *,
        slot: int,
        offset: int,
        position: Position,
        remember: bool = True,
    ) -> StreamEvent:
        """``envelope`` as the stream sends it, its id the tail's ``position`` after it.

        ``remember``: a live event updates the tickets' lines; one read back does not.
        """
        data = envelope.get("data")
        data = data if isinstance(data, dict) else {}
        ticket = _text(data.get("ticket_id"))
        event_id = encode_position(position)
        body = {"id": event_id, "topic": topic, "event": dict(envelope)}
        return StreamEvent(
            slot=slot,
            offset=offset,
            position=position,
            id=event_id,
            topic=topic,
            type=str(envelope.get("type", "")),
            ticket_id=ticket,
            customer_ids=_customers(data),
            line=self._line(str(envelope.get("type", "")), ticket, data, remember=remember),
            body=body,
            data=json.dumps(body, separators=(",", ":"), default=str),
        )

    def _line(
        self, event_type: str, ticket: str | None, data: Mapping[str, Any], *, remember: bool
    ) -> int | None:
        """The event's support line: its own ``line``, else the ticket's as last seen.

        A new ticket starts at line 1; ``ticket.escalated`` moves it. A ticket whose
        events this process has not seen since it started has no known line.
        """
        own = data.get("line")
        if event_type == "ticket.created":
            own = 1
        if ticket is None:
            return own if isinstance(own, int) else None
        if remember and isinstance(own, int) and event_type.startswith("ticket."):
            self._lines[ticket] = own
            self._lines.move_to_end(ticket)
            while len(self._lines) > _LINE_MEMORY:
                self._lines.popitem(last=False)
        return own if isinstance(own, int) else self._lines.get(ticket)


def _moved(position: Position, slot: int, offset: int) -> Position:
    """``position`` past the record at ``offset`` of partition ``slot``."""
    if offset + 1 <= position[slot]:
        return position
    return (*position[:slot], offset + 1, *position[slot + 1 :])


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _customers(data: Mapping[str, Any]) -> frozenset[str]:
    """Every customer an event concerns: its ``customer_id``, or a release's ``customer_ids``."""
    found: Iterable[object] = data.get("customer_ids") or ()
    one = data.get("customer_id")
    return frozenset(str(c) for c in (*found, *([one] if one is not None else [])))
