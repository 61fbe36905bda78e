"""Use cases of the consumer: keep the read models and turn events into planned deliveries.

Each takes the event's typed payload and its envelope (the delivery key is derived from
the envelope's id), runs in the consumer's transaction and leaves the commit to it.
Emails are stored through ``usecases.mail.add_planned``: one to a failing address is
kept as skipped, with the reason, and never attempted.
Sending is the worker's job (``usecases.delivery``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from notification.domain import planning, registration
from notification.domain.delivery import Subscription
from notification.domain.planning import WEBHOOK, ContactFacts, Planned, StaffEvent
from notification.uow import NotificationUnitOfWork
from notification.usecases.mail import add_planned
from shared.events.base import Envelope, EventData
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    CustomerChanged,
    ReleasePublished,
)
from shared.events.escalations import EscalationRaised
from shared.events.sla import TimerRecomputed, TimerResumed, TimerScheduled
from shared.events.tickets import TicketCommented, TicketCreated, TicketEventData

DeadlineEvent = TimerScheduled | TimerRecomputed | TimerResumed
DirectoryEvent = CustomerChanged | CalendarChanged | ContactChanged
DEADLINE_TIMERS = ("response", "resolution")


async def ticket_created(
    uow: NotificationUnitOfWork,
    event: TicketCreated,
    *,
    source: Envelope,
    now: datetime,
    wait: timedelta,
) -> None:
    """Remember the ticket; plan its registration email (held until it is ready)."""
    seen = await uow.tickets.merge(
        event.ticket_id,
        {
            "customer_id": event.customer_id,
            "registration_number": event.registration_number,
            "title": event.subject,
            "severity": str(event.severity),
            "severity_capped": event.severity_capped,
            "channel": event.channel,
            "contact_id": event.contact_id,
            "contact_email": event.contact_email or None,
            "source_message_id": event.source_message_id,
            "chat_id": event.chat_id,
        },
    )
    ticket, contact = seen.ticket, seen.contact
    planned = planning.to_contact(
        ticket, contact, registration.TEMPLATE, planning.ticket_context(ticket, seen.timezone)
    )
    await add_planned(
        uow,
        planned,
        source=source,
        ticket_id=ticket.ticket_id,
        customer_id=ticket.customer_id,
        due=registration.due(ticket, contact, now=now, wait=wait),
    )


async def deadline_known(
    uow: NotificationUnitOfWork, event: DeadlineEvent, *, now: datetime
) -> None:
    """Keep the current due instant; a registration this completes goes now."""
    if event.timer not in DEADLINE_TIMERS or not event.due_at:
        return
    seen = await uow.tickets.merge(
        event.ticket_id, {"customer_id": event.customer_id, f"{event.timer}_due": event.due_at}
    )
    if registration.ready(seen.ticket, seen.contact):
        await uow.deliveries.release_registration(seen.ticket.ticket_id, now)


async def ticket_changed(
    uow: NotificationUnitOfWork, event: TicketEventData, *, source: Envelope, now: datetime
) -> None:
    """Public agent comments, waiting, resolved, closed, CR estimate/delivery: tell the contact."""
    seen = await uow.tickets.addressed(event.ticket_id)
    if seen is None or seen.ticket.registration_number is None:
        return  # a ticket created before notification kept read models: nothing to thread to
    ticket = seen.ticket
    planned: list[Planned] = []
    if isinstance(event, TicketCommented):
        planned += planning.chat_reply(ticket, event)
    template = planning.ticket_template(event)
    if template and not (ticket.channel == planning.CHAT and template == "agent_comment"):
        context = {
            **planning.ticket_context(ticket, seen.timezone),
            **planning.event_context(event),
        }
        planned += planning.to_contact(ticket, seen.contact, template, context)
    await add_planned(
        uow,
        planned,
        source=source,
        ticket_id=ticket.ticket_id,
        customer_id=ticket.customer_id,
        due=now,
    )


async def staff_event(
    uow: NotificationUnitOfWork, event: StaffEvent, *, source: Envelope, now: datetime
) -> None:
    """Escalation decided who to tell; email each recipient in their language."""
    ticket = await uow.tickets.get(event.ticket_id)
    # escalation.raised names the customer; ola.* leave it to the ticket.
    own = event.customer_id if isinstance(event, EscalationRaised) else None
    customer_id = own or (ticket.customer_id if ticket else None)
    tz = await uow.customers.get(customer_id)
    number = ticket.registration_number if ticket else None
    await add_planned(
        uow,
        planning.to_staff(event, tz, registration_number=number),
        source=source,
        ticket_id=event.ticket_id,
        customer_id=customer_id,
        due=now,
    )


async def directory_changed(
    uow: NotificationUnitOfWork, event: DirectoryEvent, *, now: datetime
) -> None:
    """Customer time zones and contacts, from support.contracts.v1."""
    if isinstance(event, ContactChanged):
        await contact_changed(uow, event, now=now)
        return
    found = event.calendar if isinstance(event, CalendarChanged) else event.customer
    tz = found.get("timezone")
    customer_id = event.customer_id or _uuid(found.get("id"))
    if tz and customer_id:
        await uow.customers.put(customer_id, str(tz))


async def contact_changed(
    uow: NotificationUnitOfWork, event: ContactChanged, *, now: datetime
) -> None:
    """Keep the contact; a registration held only for them (their language) goes now."""
    c = event.contact
    contact = ContactFacts(
        contact_id=UUID(str(c["id"])),
        customer_id=UUID(str(c["customer_id"])),
        name=c.get("name"),
        email=c.get("email"),
        chat_id=c.get("chat_id"),
        language=c.get("language") or "ru",
        active=bool(c.get("active", True)),
    )
    await uow.contacts.put(contact)
    for ticket in await uow.deliveries.held_registrations(contact_id=contact.contact_id, now=now):
        if registration.ready(ticket, contact):
            await uow.deliveries.release_registration(ticket.ticket_id, now)


async def release_published(
    uow: NotificationUnitOfWork, event: ReleasePublished, *, source: Envelope, now: datetime
) -> None:
    """release.published: each concerned customer's active contacts, once per contact."""
    contacts = await uow.contacts.of_customers(list(event.customer_ids))
    by_customer: dict[UUID, list[ContactFacts]] = {}
    for contact in contacts:
        by_customer.setdefault(contact.customer_id, []).append(contact)
    for customer_id, theirs in by_customer.items():
        await add_planned(
            uow,
            planning.release_to_contacts(event, theirs),
            source=source,
            ticket_id=None,
            customer_id=customer_id,
            due=now,
        )


async def plan_webhooks(
    uow: NotificationUnitOfWork,
    subscriptions: Sequence[Subscription],
    *,
    source: Envelope,
    event: EventData | None,
    now: datetime,
) -> int:
    """Every event a subscription asked for becomes one signed POST to it; how many."""
    wanted = [
        s
        for s in subscriptions
        if planning.webhook_matches(
            source.type, event, event_types=s.event_types, customer_id=s.customer_id
        )
    ]
    if not wanted:
        return 0
    body = source.model_dump(mode="json")
    ticket_id: UUID | None = getattr(event, "ticket_id", None)
    for sub in wanted:
        await uow.deliveries.add(
            [
                Planned(
                    channel=WEBHOOK,
                    recipient=str(sub.id),
                    template=source.type,
                    context={"envelope": body},
                    subscription_id=sub.id,
                )
            ],
            source=source,
            ticket_id=ticket_id,
            customer_id=sub.customer_id or getattr(event, "customer_id", None),
            due=now,
        )
    return len(wanted)


def _uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None
