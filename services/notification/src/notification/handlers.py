"""Inbound-event handlers: the consumer's entry to notification's use cases.

Each event type has one handler (one inbox claim in the idempotent consumer), so a
redelivered event plans nothing twice; the delivery key's unique index is the second
guard, for a replay under a new handler name. The handlers' names (their dotted paths,
``notification.handlers.NotificationHandlers.on_*``) are the inbox's claim names: keep
them. A handler reads the event's typed payload and calls its use case
(``usecases.planning``). A type with no use of its own reaches a handler only while
some webhook subscription may want it. Sending is the worker's job
(``notification.worker``).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from notification.adapters.subscriptions import SubscriptionCache
from notification.config import Settings
from notification.uow import NotificationUnitOfWork
from notification.usecases import planning
from shared.clock import Clock, SystemClock
from shared.events import EVENT_TYPES, topics
from shared.events.base import Envelope
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    CustomerChanged,
    ReleasePublished,
)
from shared.events.escalations import EscalationRaised, OlaBreached, OlaWarning
from shared.events.sla import TimerRecomputed, TimerResumed, TimerScheduled
from shared.events.tickets import (
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCreated,
    TicketEventData,
    TicketStatusChanged,
)
from shared.messaging.consumer import Handler

TOPICS = [topics.TICKETS, topics.SLA, topics.ESCALATIONS, topics.CONTRACTS]
DEADLINE_EVENTS = (TimerScheduled, TimerRecomputed, TimerResumed)
STAFF_EVENTS = (EscalationRaised, OlaWarning, OlaBreached)
DIRECTORY_EVENTS = (CustomerChanged, CalendarChanged, ContactChanged)
CONTACT_TICKET_EVENTS = (TicketCommented, TicketStatusChanged, TicketChangeRequestAdvanced)

NotificationHandler = Callable[[Envelope, NotificationUnitOfWork], Awaitable[None]]


class _Registry(Mapping[str, Sequence[Handler]]):
    """event type -> its one handler; a type only a webhook could want, while none does, is absent.

    The consumer skips an absent type before any database work (no transaction, no
    inbox row), yet commits its offset. Iterating lists every type of our topics.
    """

    def __init__(
        self, effects: dict[str, Handler], webhooks: Handler, cache: SubscriptionCache
    ) -> None:
        self._effects = effects
        self._webhooks = (webhooks,)
        self._cache = cache
        self._types = [t for t, model in EVENT_TYPES.items() if model.TOPIC in TOPICS]

    def __getitem__(self, event_type: str) -> Sequence[Handler]:
        effect = self._effects.get(event_type)
        if effect is not None:
            return (effect,)
        if event_type in self._types and self._cache.may_want(event_type):
            return self._webhooks
        raise KeyError(event_type)

    def __iter__(self) -> Iterator[str]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)


class NotificationHandlers:
    """The handlers, bound to the settings and clock of one process."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        subscriptions: SubscriptionCache | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.subscriptions = subscriptions or SubscriptionCache(ttl=settings.webhook_cache_seconds)

    def registry(self) -> Mapping[str, Sequence[Handler]]:
        """One handler per event type (one inbox claim): its effect, then the webhooks."""
        effects: dict[str, NotificationHandler] = {TicketCreated.TYPE: self.on_ticket_created}
        effects.update({e.TYPE: self.on_ticket_event for e in CONTACT_TICKET_EVENTS})
        effects.update({e.TYPE: self.on_deadline for e in DEADLINE_EVENTS})
        effects.update({e.TYPE: self.on_staff_event for e in STAFF_EVENTS})
        effects.update({e.TYPE: self.on_directory for e in DIRECTORY_EVENTS})
        effects[ReleasePublished.TYPE] = self.on_release
        return _Registry(
            {t: self._and_webhooks(effect) for t, effect in effects.items()},
            self.on_webhooks,
            self.subscriptions,
        )

    def _and_webhooks(self, effect: NotificationHandler) -> NotificationHandler:
        """``effect``, then the event's webhooks; it keeps ``effect``'s inbox name."""

        @functools.wraps(effect)
        async def handle(envelope: Envelope, uow: NotificationUnitOfWork) -> None:
            await effect(envelope, uow)
            await self._plan_webhooks(envelope, uow)
            uow.observe(envelope)

        return handle

    def _now(self) -> datetime:
        return self.clock.now()

    async def on_ticket_created(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """Remember the ticket; plan its registration email (it waits for both deadlines)."""
        await planning.ticket_created(
            uow,
            envelope.payload(TicketCreated),
            source=envelope,
            now=self._now(),
            wait=timedelta(seconds=self.settings.registration_wait_seconds),
        )

    async def on_deadline(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """Keep the current due instants; both first ones known releases the registration."""
        event = envelope.typed()
        assert isinstance(event, DEADLINE_EVENTS), envelope.type  # the registry routes them
        await planning.deadline_known(uow, event, now=self._now())

    async def on_ticket_event(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """Public agent comments, waiting, resolved, closed, CR estimate/delivery: tell the contact."""
        event = envelope.typed()
        assert isinstance(event, TicketEventData), envelope.type
        await planning.ticket_changed(uow, event, source=envelope, now=self._now())

    async def on_staff_event(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """Escalation decided who to tell; email each recipient in their language."""
        event = envelope.typed()
        assert isinstance(event, STAFF_EVENTS), envelope.type
        await planning.staff_event(uow, event, source=envelope, now=self._now())

    async def on_directory(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """Customer time zones and contacts, from support.contracts.v1."""
        event = envelope.typed()
        assert isinstance(event, DIRECTORY_EVENTS), envelope.type
        await planning.directory_changed(uow, event, now=self._now())

    async def on_release(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """release.published: each concerned customer's active contacts, once per contact."""
        await planning.release_published(
            uow, envelope.payload(ReleasePublished), source=envelope, now=self._now()
        )

    async def on_webhooks(self, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        """An event with no other use: kept in the record only if a webhook wanted it."""
        if await self._plan_webhooks(envelope, uow):
            uow.observe(envelope)

    async def _plan_webhooks(self, envelope: Envelope, uow: NotificationUnitOfWork) -> int:
        """Every event a subscription asked for becomes one signed POST to it."""
        if not self.subscriptions.may_want(envelope.type):
            return 0
        return await planning.plan_webhooks(
            uow,
            await self.subscriptions.active(uow.subscriptions),
            source=envelope,
            event=envelope.typed(),
            now=self._now(),
        )
