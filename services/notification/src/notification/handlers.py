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

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from notification.adapters.subscriptions import SubscriptionCache
from notification.adapters.uow import SqlNotificationUnitOfWork
from notification.config import Settings
from notification.domain.answers import own_addresses
from notification.domain.planning import StaffEvent
from notification.uow import NotificationUnitOfWork
from notification.usecases import mail, planning
from notification.usecases.planning import DeadlineEvent, DirectoryEvent
from shared.clock import Clock, SystemClock
from shared.events import EVENT_TYPES, topics
from shared.events.base import Envelope, EventData
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    CustomerChanged,
    ReleasePublished,
)
from shared.events.escalations import EscalationRaised, OlaBreached, OlaWarning
from shared.events.mail import MailBounced, MailSenderUnknown
from shared.events.sla import TimerRecomputed, TimerResumed, TimerScheduled
from shared.events.tickets import (
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCreated,
    TicketEventData,
    TicketStatusChanged,
)
from shared.messaging.handlers import Bound, EventHandler, HandlerRegistry

TOPICS = [topics.TICKETS, topics.SLA, topics.ESCALATIONS, topics.CONTRACTS, topics.MAIL]
CONTACT_TICKET_EVENTS = (TicketCommented, TicketStatusChanged, TicketChangeRequestAdvanced)

Consumed = EventHandler[SqlNotificationUnitOfWork]


def _known_payload(envelope: Envelope) -> EventData:
    """The payload of a type this build knows (the registry offers only those)."""
    return envelope.payload(EVENT_TYPES[envelope.type])


class _Registry(Mapping[str, Sequence[Consumed]]):
    """event type -> its one handler; a type only a webhook could want, while none does, is absent.

    The consumer skips an absent type before any database work (no transaction, no
    inbox row), yet commits its offset. Iterating lists every type of our topics.
    """

    def __init__(
        self,
        effects: HandlerRegistry[SqlNotificationUnitOfWork],
        webhooks: Consumed,
        cache: SubscriptionCache,
    ) -> None:
        self._effects = effects
        self._webhooks = (webhooks,)
        self._cache = cache
        self._types = [t for t, model in EVENT_TYPES.items() if model.TOPIC in TOPICS]

    def __getitem__(self, event_type: str) -> Sequence[Consumed]:
        if event_type in self._effects:
            return self._effects[event_type]
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

    def registry(self) -> Mapping[str, Sequence[Consumed]]:
        """One handler per event type (one inbox claim): its effect, then the webhooks.

        The inbox claims ``(handler name, event id)``; the names are the methods' dotted
        paths, as before the registry: keep them, or pass ``name=``.
        """
        effects: HandlerRegistry[SqlNotificationUnitOfWork] = HandlerRegistry()
        effects.add(TicketCreated, self.on_ticket_created)
        for ticket_event in CONTACT_TICKET_EVENTS:
            effects.add(ticket_event, self.on_ticket_event)
        # One add per class: each is validated as its own payload.
        effects.add(TimerScheduled, self.on_deadline)
        effects.add(TimerRecomputed, self.on_deadline)
        effects.add(TimerResumed, self.on_deadline)
        effects.add(EscalationRaised, self.on_staff_event)
        effects.add(OlaWarning, self.on_staff_event)
        effects.add(OlaBreached, self.on_staff_event)
        effects.add(CustomerChanged, self.on_directory)
        effects.add(CalendarChanged, self.on_directory)
        effects.add(ContactChanged, self.on_directory)
        effects.add(ReleasePublished, self.on_release)
        effects.add(MailSenderUnknown, self.on_sender_unknown)
        effects.add(MailBounced, self.on_mail_bounced)
        webhooks = Bound[EventData, SqlNotificationUnitOfWork](self.on_webhooks, _known_payload)
        return _Registry(effects, webhooks, self.subscriptions)

    async def _then_webhooks(
        self, event: EventData, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """After an event's effect: its webhooks."""
        await self._plan_webhooks(event, envelope, uow)

    def _now(self) -> datetime:
        return self.clock.now()

    async def on_ticket_created(
        self, event: TicketCreated, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """Remember the ticket; plan its registration email (it waits for both deadlines)."""
        await planning.ticket_created(
            uow,
            event,
            source=envelope,
            now=self._now(),
            wait=timedelta(seconds=self.settings.registration_wait_seconds),
        )
        await self._then_webhooks(event, envelope, uow)

    async def on_deadline(
        self, event: DeadlineEvent, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """Keep the current due instants; both first ones known releases the registration."""
        await planning.deadline_known(uow, event, now=self._now())
        await self._then_webhooks(event, envelope, uow)

    async def on_ticket_event(
        self, event: TicketEventData, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """Public agent comments, waiting, resolved, closed, CR estimate/delivery: tell the contact."""
        await planning.ticket_changed(uow, event, source=envelope, now=self._now())
        await self._then_webhooks(event, envelope, uow)

    async def on_staff_event(
        self, event: StaffEvent, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """Escalation decided who to tell; email each recipient in their language."""
        await planning.staff_event(uow, event, source=envelope, now=self._now())
        await self._then_webhooks(event, envelope, uow)

    async def on_directory(
        self, event: DirectoryEvent, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """Customer time zones and contacts, from support.contracts.v1."""
        await planning.directory_changed(uow, event, now=self._now())
        await self._then_webhooks(event, envelope, uow)

    async def on_release(
        self, event: ReleasePublished, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """release.published: each concerned customer's active contacts, once per contact."""
        await planning.release_published(uow, event, source=envelope, now=self._now())
        await self._then_webhooks(event, envelope, uow)

    async def on_sender_unknown(
        self, event: MailSenderUnknown, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """Mail from no contact: one polite bilingual answer per address per window."""
        await mail.sender_unknown(
            uow,
            event,
            source=envelope,
            now=self._now(),
            own=own_addresses(self.settings.mail_from, self.settings.own_addresses),
            window=timedelta(seconds=self.settings.answer_window_seconds),
        )
        await self._then_webhooks(event, envelope, uow)

    async def on_mail_bounced(
        self, event: MailBounced, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """A bounce of our mail: the address is failing; nothing more is mailed to it."""
        await mail.mail_bounced(
            uow, event, now=self._now(), message_id_domain=self.settings.message_id_domain
        )
        await self._then_webhooks(event, envelope, uow)

    async def on_webhooks(
        self, event: EventData, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> None:
        """An event with no other use: planned only if a webhook wanted it."""
        await self._plan_webhooks(event, envelope, uow)

    async def _plan_webhooks(
        self, event: EventData, envelope: Envelope, uow: NotificationUnitOfWork
    ) -> int:
        """Every event a subscription asked for becomes one signed POST to it."""
        if not self.subscriptions.may_want(envelope.type):
            return 0
        return await planning.plan_webhooks(
            uow,
            await self.subscriptions.active(uow.subscriptions),
            source=envelope,
            event=event,
            now=self._now(),
        )
