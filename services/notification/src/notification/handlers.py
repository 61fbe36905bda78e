"""Inbound-event handlers: keep the read models and turn events into delivery rows.

Each event type has one handler (one inbox claim in the idempotent consumer), so a
redelivered event plans nothing twice; the delivery key's unique index is the second
guard, for a replay under a new handler name. A type with no use of its own reaches
a handler only while some webhook subscription may want it. Sending is the worker's
job (``notification.worker``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from notification.adapters import store
from notification.adapters.subscriptions import SubscriptionCache
from notification.config import Settings
from notification.domain import planning
from notification.domain.planning import WEBHOOK, ContactFacts, Planned, TicketFacts
from shared.clock import Clock, SystemClock
from shared.events import EVENT_TYPES, topics
from shared.events.base import Envelope
from shared.messaging.consumer import Handler

TOPICS = [topics.TICKETS, topics.SLA, topics.ESCALATIONS, topics.CONTRACTS]
DEADLINE_EVENTS = ("sla.timer.scheduled", "sla.timer.recomputed", "sla.timer.resumed")
STAFF_EVENTS = ("escalation.raised", "ola.warning", "ola.breached")
DIRECTORY_EVENTS = ("customer.changed", "calendar.changed", "contact.changed")
CONTACT_TICKET_EVENTS = (
    "ticket.commented",
    "ticket.status_changed",
    "ticket.change_request_advanced",
)


def _uuid(value: Any) -> UUID | None:
    return UUID(str(value)) if value else None


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
        effects: dict[str, Handler] = {"ticket.created": self.on_ticket_created}
        effects.update(dict.fromkeys(CONTACT_TICKET_EVENTS, self.on_ticket_event))
        effects.update(dict.fromkeys(DEADLINE_EVENTS, self.on_deadline))
        effects.update(dict.fromkeys(STAFF_EVENTS, self.on_staff_event))
        effects.update(dict.fromkeys(DIRECTORY_EVENTS, self.on_directory))
        effects["release.published"] = self.on_release
        return _Registry(
            {t: self._and_webhooks(effect) for t, effect in effects.items()},
            self.on_webhooks,
            self.subscriptions,
        )

    def _and_webhooks(self, effect: Handler) -> Handler:
        """``effect``, then the event's webhooks; it keeps ``effect``'s inbox name."""

        @functools.wraps(effect)
        async def handle(envelope: Envelope, uow: Any) -> None:
            await effect(envelope, uow)
            await self._plan_webhooks(envelope, uow)

        return handle

    def _now(self) -> datetime:
        return self.clock.now()

    async def on_ticket_created(self, envelope: Envelope, uow: Any) -> None:
        """Remember the ticket; plan its registration email (it waits for both deadlines)."""
        d = envelope.data
        ticket_id = UUID(d["ticket_id"])
        ticket = await store.upsert_ticket(
            uow.session,
            ticket_id,
            customer_id=_uuid(d.get("customer_id")),
            registration_number=d.get("registration_number"),
            title=d.get("subject"),
            severity=d.get("severity"),
            severity_capped=bool(d.get("severity_capped")),
            channel=d.get("channel"),
            contact_id=_uuid(d.get("contact_id")),
            contact_email=d.get("contact_email") or None,
            source_message_id=d.get("source_message_id"),
            chat_id=d.get("chat_id"),
        )
        contact = await store.get_contact(uow.session, ticket.contact_id)
        tz = await store.customer_timezone(uow.session, ticket.customer_id)
        planned = planning.to_contact(
            ticket, contact, "ticket_registered", planning.ticket_context(ticket, tz)
        )
        now = self._now()
        known = contact is not None or ticket.contact_id is None
        ready = known and ticket.response_due is not None and ticket.resolution_due is not None
        due = now if ready else now + timedelta(seconds=self.settings.registration_wait_seconds)
        await store.add_deliveries(
            uow.session,
            planned,
            source=envelope,
            ticket_id=ticket_id,
            customer_id=ticket.customer_id,
            due=due,
        )

    async def on_deadline(self, envelope: Envelope, uow: Any) -> None:
        """Keep the current due instants; both first ones known releases the registration."""
        d = envelope.data
        if d.get("timer") not in {"response", "resolution"} or not d.get("due_at"):
            return
        ticket_id = UUID(d["ticket_id"])
        ticket = await store.upsert_ticket(
            uow.session,
            ticket_id,
            customer_id=_uuid(d.get("customer_id")),
            **{f"{d['timer']}_due": datetime.fromisoformat(d["due_at"])},
        )
        if ticket.response_due is not None and ticket.resolution_due is not None:
            await self._release_if_contact_known(uow, ticket)

    async def _release_if_contact_known(self, uow: Any, ticket: TicketFacts) -> None:
        """Release the registration once its contact's language is known too.

        The contact's ``contact.changed`` comes on another topic and may arrive after the
        deadlines; it releases the email itself then (:meth:`on_directory`), and the wait
        (``registration_wait_seconds``) bounds a contact that never comes.
        """
        if ticket.contact_id is None or await store.get_contact(uow.session, ticket.contact_id):
            await store.release_registration(uow.session, ticket.ticket_id, self._now())

    async def on_ticket_event(self, envelope: Envelope, uow: Any) -> None:
        """Public agent comments, waiting, resolved, closed, CR estimate/delivery: tell the contact."""
        d = envelope.data
        ticket = await store.get_ticket(uow.session, UUID(d["ticket_id"]))
        if ticket is None or ticket.registration_number is None:
            return  # a ticket created before notification kept read models: nothing to thread to
        planned: list[Planned] = []
        if envelope.type == "ticket.commented":
            planned += planning.chat_reply(ticket, d)
        template = planning.ticket_template(envelope.type, d)
        if template and not (ticket.channel == planning.CHAT and template == "agent_comment"):
            contact = await store.get_contact(uow.session, ticket.contact_id)
            tz = await store.customer_timezone(uow.session, ticket.customer_id)
            context = {
                **planning.ticket_context(ticket, tz),
                **planning.event_context(envelope.type, d),
            }
            planned += planning.to_contact(ticket, contact, template, context)
        await store.add_deliveries(
            uow.session,
            planned,
            source=envelope,
            ticket_id=ticket.ticket_id,
            customer_id=ticket.customer_id,
            due=self._now(),
        )

    async def on_staff_event(self, envelope: Envelope, uow: Any) -> None:
        """Escalation decided who to tell; email each recipient in their language."""
        d = envelope.data
        ticket_id = _uuid(d.get("ticket_id"))
        ticket = await store.get_ticket(uow.session, ticket_id) if ticket_id else None
        customer_id = _uuid(d.get("customer_id")) or (ticket.customer_id if ticket else None)
        tz = await store.customer_timezone(uow.session, customer_id)
        data = dict(d)
        if ticket and not data.get("registration_number"):
            data["registration_number"] = ticket.registration_number
        await store.add_deliveries(
            uow.session,
            planning.to_staff(envelope.type, data, tz),
            source=envelope,
            ticket_id=ticket_id,
            customer_id=customer_id,
            due=self._now(),
        )

    async def on_directory(self, envelope: Envelope, uow: Any) -> None:
        """Customer time zones and contacts, from support.contracts.v1."""
        d = envelope.data
        if envelope.type == "contact.changed":
            c = d.get("contact") or {}
            await store.upsert_contact(
                uow.session,
                ContactFacts(
                    contact_id=UUID(str(c["id"])),
                    customer_id=UUID(str(c["customer_id"])),
                    name=c.get("name"),
                    email=c.get("email"),
                    chat_id=c.get("chat_id"),
                    language=c.get("language") or "ru",
                    active=bool(c.get("active", True)),
                ),
            )
            # A registration held only for this contact's language goes now.
            await store.release_registrations_of(uow.session, UUID(str(c["id"])), self._now())
            return
        source = d.get("calendar") if envelope.type == "calendar.changed" else d.get("customer")
        tz = (source or {}).get("timezone")
        customer_id = _uuid(d.get("customer_id")) or _uuid((source or {}).get("id"))
        if tz and customer_id:
            await store.upsert_customer_timezone(uow.session, customer_id, tz)

    async def on_release(self, envelope: Envelope, uow: Any) -> None:
        """release.published: each concerned customer's active contacts, once per contact."""
        customers = [UUID(str(c)) for c in envelope.data.get("customer_ids") or []]
        contacts = await store.contacts_of(uow.session, customers) if customers else []
        by_customer: dict[UUID, list[ContactFacts]] = {}
        for contact in contacts:
            by_customer.setdefault(contact.customer_id, []).append(contact)
        for customer_id, theirs in by_customer.items():
            await store.add_deliveries(
                uow.session,
                planning.release_to_contacts(envelope.data, theirs),
                source=envelope,
                ticket_id=None,
                customer_id=customer_id,
                due=self._now(),
            )

    async def on_webhooks(self, envelope: Envelope, uow: Any) -> None:
        """An event with no other use: planned only if a webhook wanted it."""
        await self._plan_webhooks(envelope, uow)

    async def _plan_webhooks(self, envelope: Envelope, uow: Any) -> int:
        """Every event a subscription asked for becomes one signed POST to it."""
        if not self.subscriptions.may_want(envelope.type):
            return 0
        subs = await self.subscriptions.active(uow.session)
        wanted = [
            s
            for s in subs
            if planning.webhook_matches(
                envelope.type, envelope.data, event_types=s.event_types, customer_id=s.customer_id
            )
        ]
        if not wanted:
            return 0
        body = envelope.model_dump(mode="json")
        ticket_id = _uuid(envelope.data.get("ticket_id"))
        for sub in wanted:
            await store.add_deliveries(
                uow.session,
                [
                    Planned(
                        channel=WEBHOOK,
                        recipient=str(sub.id),
                        template=envelope.type,
                        context={"envelope": body},
                        subscription_id=sub.id,
                    )
                ],
                source=envelope,
                ticket_id=ticket_id,
                customer_id=sub.customer_id or _uuid(envelope.data.get("customer_id")),
                due=self._now(),
            )
        return len(wanted)
