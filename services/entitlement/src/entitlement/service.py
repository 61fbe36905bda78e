"""Use cases of entitlement: customers, contacts and the entitlement check."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update

from shared.errors import Conflict, NotFound
from shared.events.base import new_id
from shared.events.contracts import ContactChanged, CustomerChanged

from entitlement.adapters.orm import contact, customer
from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.api.schemas import (
    ContactCreate,
    ContactRead,
    CustomerCreate,
    CustomerRead,
    EntitlementRead,
)
from entitlement.domain.tiers import (
    DEFAULT_POLICY_VERSION,
    MAX_ACTIVE_CONTACTS,
    MAX_OPEN_TICKETS,
    fallback_tier,
)


def _customer_read(row: Any) -> CustomerRead:
    return CustomerRead(
        id=row.id,
        name=row.name,
        trained_specialists=row.trained_specialists,
        warranty_until=row.warranty_until,
    )


def _contact_read(row: Any) -> ContactRead:
    return ContactRead(
        id=row.id,
        customer_id=row.customer_id,
        name=row.name,
        email=row.email,
        phone=row.phone,
        chat_id=row.chat_id,
        active=row.active,
    )


async def create_customer(cmd: CustomerCreate, uow: EntitlementUnitOfWork) -> CustomerRead:
    """Register a customer and announce it."""
    async with uow:
        customer_id = new_id()
        row = (
            await uow.session.execute(
                insert(customer).values(id=customer_id, **cmd.model_dump()).returning(customer)
            )
        ).one()
        read = _customer_read(row)
        await uow.outbox.publish(
            CustomerChanged(customer_id=customer_id, change="created", customer=read.model_dump(mode="json")),
            subject=str(customer_id),
        )
        await uow.commit()
    return read


async def get_customer(customer_id: UUID, uow: EntitlementUnitOfWork) -> CustomerRead:
    """Return one customer or raise NotFound."""
    async with uow:
        row = (await uow.session.execute(select(customer).where(customer.c.id == customer_id))).one_or_none()
    if row is None:
        raise NotFound(f"No customer {customer_id}; list customers with GET /api/v1/customers.")
    return _customer_read(row)


async def add_contact(
    customer_id: UUID, cmd: ContactCreate, uow: EntitlementUnitOfWork
) -> ContactRead:
    """Name a contact who may open tickets; at most four are active at once."""
    async with uow:
        locked = (
            await uow.session.execute(
                select(customer.c.id).where(customer.c.id == customer_id).with_for_update()
            )
        ).one_or_none()
        if locked is None:
            raise NotFound(f"No customer {customer_id}; create it first with POST /api/v1/customers.")
        active = await uow.session.scalar(
            select(func.count()).select_from(contact).where(
                contact.c.customer_id == customer_id, contact.c.active
            )
        )
        if (active or 0) >= MAX_ACTIVE_CONTACTS:
            raise Conflict(
                f"Customer {customer_id} already has {MAX_ACTIVE_CONTACTS} active contacts, the most "
                "the support programme allows. Deactivate one to free a place.",
                slug="contact-limit",
                limit=MAX_ACTIVE_CONTACTS,
            )
        taken = await uow.session.scalar(
            select(contact.c.customer_id).where(
                func.lower(contact.c.email) == cmd.email.lower(), contact.c.active
            )
        )
        if taken is not None:
            raise Conflict(
                f"{cmd.email} is already an active contact; deactivate it there first.",
                slug="contact-email-taken",
            )
        row = (
            await uow.session.execute(
                insert(contact)
                .values(id=new_id(), customer_id=customer_id, **cmd.model_dump())
                .returning(contact)
            )
        ).one()
        read = _contact_read(row)
        await uow.outbox.publish(
            ContactChanged(customer_id=customer_id, change="created", contact=read.model_dump(mode="json")),
            subject=str(customer_id),
        )
        await uow.commit()
    return read


async def deactivate_contact(
    customer_id: UUID, contact_id: UUID, uow: EntitlementUnitOfWork
) -> ContactRead:
    """Deactivate a contact, freeing a place."""
    async with uow:
        row = (
            await uow.session.execute(
                update(contact)
                .where(contact.c.id == contact_id, contact.c.customer_id == customer_id)
                .values(active=False)
                .returning(contact)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"Customer {customer_id} has no contact {contact_id}.")
        read = _contact_read(row)
        await uow.outbox.publish(
            ContactChanged(customer_id=customer_id, change="deactivated", contact=read.model_dump(mode="json")),
            subject=str(customer_id),
        )
        await uow.commit()
    return read


async def entitlement_for_contact(
    *, email: str | None, chat_id: str | None, uow: EntitlementUnitOfWork
) -> EntitlementRead:
    """The effective entitlement of the customer an active contact belongs to."""
    cond = (
        func.lower(contact.c.email) == email.lower() if email else contact.c.chat_id == chat_id
    )
    async with uow:
        row = (
            await uow.session.execute(
                select(contact.c.id.label("contact_id"), customer.c.id, customer.c.warranty_until)
                .join(customer, customer.c.id == contact.c.customer_id)
                .where(cond, contact.c.active)
            )
        ).one_or_none()
    if row is None:
        who = email or chat_id
        raise NotFound(
            f"{who} is not an active contact of any customer; a customer names up to "
            f"{MAX_ACTIVE_CONTACTS} contacts with POST /api/v1/customers/{{id}}/contacts.",
            slug="unknown-contact",
        )
    tier, reason = fallback_tier(warranty_until=row.warranty_until, on=datetime.now(UTC).date())
    return EntitlementRead(
        customer_id=row.id,
        contact_id=row.contact_id,
        tier=tier,
        policy_version=DEFAULT_POLICY_VERSION,
        max_open_tickets=MAX_OPEN_TICKETS[tier],
        reason=reason,
    )
