"""Contacts: the people who may open tickets for a customer (at most four active)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from entitlement.commands import ContactCreate, ContactUpdate
from entitlement.domain.catalogue import MAX_ACTIVE_CONTACTS
from entitlement.readmodels import ContactRead
from entitlement.uow import ContactTaken, UnitOfWork
from entitlement.usecases.checks import entitlement_state
from entitlement.usecases.common import customer_or_404, refuse_nulls
from shared.errors import Conflict, NotFound
from shared.events.base import new_id
from shared.events.contracts import ContactChanged


def _taken(who: str) -> Conflict:
    return Conflict(
        f"{who} is already an active contact of a customer; a person opens tickets "
        "for one customer only. Deactivate that contact first.",
        slug="contact-taken",
    )


def _limit_reached(customer_id: UUID) -> Conflict:
    return Conflict(
        f"Customer {customer_id} already has {MAX_ACTIVE_CONTACTS} active contacts, the most "
        "the support programme allows (rules, section 2). Deactivate one "
        "(POST .../contacts/{contact_id}/deactivate) to free a place.",
        slug="contact-limit",
        limit=MAX_ACTIVE_CONTACTS,
    )


async def _take_place(
    uow: UnitOfWork,
    customer_id: UUID,
    *,
    email: str,
    chat_id: str | None,
    except_id: UUID | None = None,
    new_place: bool = True,
) -> None:
    """Refuse a contact that would be the fifth active one, or another customer's person.

    The caller holds the customer's lock, so the count cannot change under it; the
    unique indexes settle a race with another customer (``ContactTaken``).
    """
    if new_place and await uow.contacts.count_active(customer_id) >= MAX_ACTIVE_CONTACTS:
        raise _limit_reached(customer_id)
    if await uow.contacts.is_taken(email=email, chat_id=chat_id, except_id=except_id):
        raise _taken(f"{email}{' / ' + chat_id if chat_id else ''}")


async def _announce(uow: UnitOfWork, read: ContactRead, *, change: str, now: datetime) -> None:
    await uow.outbox.publish(
        ContactChanged(
            customer_id=read.customer_id,
            change=change,
            contact=read.model_dump(mode="json"),
            contact_id=read.id,
            **await entitlement_state(uow, read.customer_id, now),
        ),
        subject=str(read.customer_id),
    )


async def add_contact(
    customer_id: UUID, cmd: ContactCreate, uow: UnitOfWork, *, now: datetime
) -> ContactRead:
    """Name a contact who may open tickets; at most four are active at once."""
    async with uow:
        await customer_or_404(uow, customer_id, now=now, lock=True)
        await _take_place(uow, customer_id, email=cmd.email, chat_id=cmd.chat_id)
        try:
            read = await uow.contacts.add(new_id(), customer_id, cmd.model_dump())
        except ContactTaken as exc:  # a concurrent add for another customer won
            raise _taken(f"chat_id {cmd.chat_id}" if exc.chat else cmd.email) from None
        await _announce(uow, read, change="created", now=now)
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def list_contacts(
    customer_id: UUID, uow: UnitOfWork, *, now: datetime, active: bool | None
) -> list[ContactRead]:
    """Return a customer's contacts (optionally only active or inactive ones)."""
    async with uow:
        await customer_or_404(uow, customer_id, now=now)
        return await uow.contacts.of_customer(customer_id, active=active)


async def update_contact(
    customer_id: UUID,
    contact_id: UUID,
    cmd: ContactUpdate,
    uow: UnitOfWork,
    *,
    now: datetime,
) -> ContactRead:
    """Change a contact; ``active`` false frees a place, true takes one (limit applies)."""
    changes = cmd.model_dump(exclude_unset=True)
    refuse_nulls(changes, "name", "active", "language")
    async with uow:
        await customer_or_404(uow, customer_id, now=now, lock=True)
        current = await uow.contacts.get(customer_id, contact_id)
        if current is None:
            raise NotFound(
                f"Customer {customer_id} has no contact {contact_id}; "
                f"list them with GET /api/v1/customers/{customer_id}/contacts.",
                slug="unknown-contact",
            )
        if changes.get("active", current.active):
            await _take_place(
                uow,
                customer_id,
                email=current.email,
                chat_id=changes.get("chat_id", current.chat_id),
                except_id=contact_id,
                new_place=not current.active,
            )
        try:
            read = await uow.contacts.update(contact_id, changes)
        except ContactTaken as exc:
            raise _taken(
                f"chat_id {changes.get('chat_id')}" if exc.chat else current.email
            ) from None
        if changes:
            change = "updated"
            if current.active != read.active:
                change = "reactivated" if read.active else "deactivated"
            await _announce(uow, read, change=change, now=now)
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read
