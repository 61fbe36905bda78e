"""Typed event handlers: a registry keyed by payload class.

A handler is ``async def on_x(event: XPayload, envelope: Envelope, uow: MyUow) -> None``:
it gets the payload the consumer already validated (no ``envelope.data["..."]``), the
envelope for its id, time and subject, and the service's own unit of work, typed.
``registry.add(XPayload, on_x)`` (or ``@registry.on(XPayload)``) files it under
``XPayload.TYPE``; a subclass of a registered payload (a stricter model of the same
type, say one that requires a field) is validated as that subclass, and a refusal
dead-letters the record like any invalid payload.

The registry is a ``Mapping[str, Sequence[EventHandler[U]]]``, what
:class:`~shared.messaging.consumer.EventConsumer` dispatches on, so the consumer's
batching, inbox, retries and dead-lettering are unchanged. Each entry keeps its
handler's inbox name, ``module.qualname`` of the function, as before the registry
existed: claims made then still stop redeliveries.

A handler may come with a ``prepare``: ``async def prepare(events: Sequence[tuple[E,
Envelope]], uow) -> None``, which the consumer calls once with every event of a batch
the handler is about to get (claimed, in order) before it calls the handler on each.
A service whose every event costs a few round trips of the same statements does them
for the whole batch there (sla-clock records a poll's events and reads their tickets'
clocks in one statement); the handler itself must still work without it (a record
handled alone is not prepared).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from shared.db import UnitOfWork
from shared.events.base import EVENT_TYPES, Envelope, EventData

E = TypeVar("E", bound=EventData)
U = TypeVar("U", bound=UnitOfWork)

# What a service writes: the typed payload, its envelope, the service's unit of work.
Handler = Callable[[E, Envelope, U], Awaitable[None]]
# What the consumer calls: one record's envelope in the service's unit of work.
EventHandler = Callable[[Envelope, U], Awaitable[None]]
# A handler's optional batch step: the typed events it is about to get, before the first.
Prepare = Callable[[Sequence[tuple[E, Envelope]], U], Awaitable[None]]


def inbox_name(handler: Callable[..., Any]) -> str:
    """A handler's inbox name: its dotted path (or the one its registration kept)."""
    kept = getattr(handler, "inbox_name", None)
    if isinstance(kept, str):
        return kept
    return f"{handler.__module__}.{handler.__qualname__}"


class Bound(Generic[E, U]):
    """One registered handler with the parser of its payload: what the consumer calls."""

    def __init__(
        self,
        handler: Handler[E, U],
        parse: Callable[[Envelope], E],
        *,
        name: str | None = None,
        prepare: Prepare[E, U] | None = None,
    ) -> None:
        self.handler = handler
        self.parse = parse
        self.inbox_name = name or inbox_name(handler)
        self._prepare = prepare

    async def __call__(self, envelope: Envelope, uow: U) -> None:
        await self.handler(self.parse(envelope), envelope, uow)

    @property
    def batched(self) -> bool:
        """Whether the handler has a batch step (:meth:`prepare` does something)."""
        return self._prepare is not None

    async def prepare(self, envelopes: Sequence[Envelope], uow: U) -> None:
        """Run the handler's batch step on the envelopes it is about to get, if it has one."""
        if self._prepare is not None and envelopes:
            await self._prepare([(self.parse(e), e) for e in envelopes], uow)

    def __repr__(self) -> str:
        return f"<handler {self.inbox_name}>"


def _payload_parser(payload: type[E]) -> Callable[[Envelope], E]:
    def parse(envelope: Envelope) -> E:
        # The consumer validated the registered type already: payload() reuses that check.
        return envelope.payload(payload)

    return parse


class HandlerRegistry(Mapping[str, Sequence[EventHandler[U]]], Generic[U]):
    """The handlers of one service by event type, each typed by its payload class."""

    def __init__(self) -> None:
        self._by_type: dict[str, list[EventHandler[U]]] = {}
        self._families: list[tuple[str, EventHandler[U]]] = []
        # Each type's handlers, looked up once: the consumer asks several times per record.
        self._resolved: dict[str, tuple[EventHandler[U], ...]] = {}

    def add(
        self, payload: type[E], handler: Handler[E, U], *, name: str | None = None
    ) -> Handler[E, U]:
        """File ``handler`` under ``payload.TYPE``; ``name`` overrides its inbox name."""
        event_type = getattr(payload, "TYPE", None)
        if not isinstance(event_type, str):
            raise TypeError(
                f"{payload.__name__} names no event type; register each concrete payload"
            )
        self._by_type.setdefault(event_type, []).append(
            Bound(handler, _payload_parser(payload), name=name)
        )
        self._resolved.clear()
        return handler

    def on(self, *payloads: type[E]) -> Callable[[Handler[E, U]], Handler[E, U]]:
        """Decorator: register the function for each payload class (one inbox name for all)."""
        if not payloads:
            raise TypeError("on() needs at least one payload class")

        def register(handler: Handler[E, U]) -> Handler[E, U]:
            for payload in payloads:
                self.add(payload, handler)
            return handler

        return register

    def add_family(
        self,
        prefix: str,
        parse: Callable[[Envelope], E],
        handler: Handler[E, U],
        *,
        name: str | None = None,
        prepare: Prepare[E, U] | None = None,
    ) -> Handler[E, U]:
        """Send every type starting with ``prefix``, known to this build or not, to ``handler``.

        For a service that answers a whole topic, types added after its build included
        (sla-clock answers every ``ticket.*``): ``parse`` turns any of them into the
        handler's payload. Exact registrations come first. ``prepare``: the handler's
        batch step (see the module's docstring).
        """
        self._families.append((prefix, Bound(handler, parse, name=name, prepare=prepare)))
        self._resolved.clear()
        return handler

    def add_untyped(self, event_type: str, handler: EventHandler[U]) -> None:
        """Register a handler of the old shape ``(envelope, uow)`` (until its service is typed)."""
        self._by_type.setdefault(event_type, []).append(handler)
        self._resolved.clear()

    def _resolve(self, event_type: str) -> tuple[EventHandler[U], ...]:
        found = self._resolved.get(event_type)
        if found is None:
            family = [h for prefix, h in self._families if event_type.startswith(prefix)]
            found = (*self._by_type.get(event_type, ()), *family)
            if len(self._resolved) < 10_000:  # unknown types are few; never grow unbounded
                self._resolved[event_type] = found
        return found

    def __getitem__(self, event_type: str) -> Sequence[EventHandler[U]]:
        found = self._resolve(event_type)
        if not found:
            raise KeyError(event_type)
        return found

    def get(  # type: ignore[override]
        self, event_type: str, default: Sequence[EventHandler[U]] = ()
    ) -> Sequence[EventHandler[U]]:
        """The handlers of ``event_type``, or ``default`` (without raising: the hot path)."""
        return self._resolve(event_type) or default

    def _types(self) -> list[str]:
        known = set(self._by_type)
        for prefix, _ in self._families:
            known |= {t for t in EVENT_TYPES if t.startswith(prefix)}
        return sorted(known)

    def __iter__(self) -> Iterator[str]:
        """The types this build dispatches (a family lists the types of it that are known)."""
        return iter(self._types())

    def __len__(self) -> int:
        return len(self._types())

    def __bool__(self) -> bool:
        return bool(self._by_type or self._families)

    def __contains__(self, event_type: object) -> bool:
        return isinstance(event_type, str) and (
            event_type in self._by_type
            or any(event_type.startswith(prefix) for prefix, _ in self._families)
        )
