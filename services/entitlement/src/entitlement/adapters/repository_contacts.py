"""Contacts in PostgreSQL: who may open tickets for a customer."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import contact
from entitlement.readmodels import ContactRead
from entitlement.uow import ContactTaken


def contact_read(row: Any) -> ContactRead:
    """Map a contact row to the read model."""
    return ContactRead(
        id=row.id,
        customer_id=row.customer_id,
        name=row.name,
        email=row.email,
        phone=row.phone,
        chat_id=row.chat_id,
        active=row.active,
        language=row.language,
    )


def _taken(exc: IntegrityError) -> ContactTaken:
    return ContactTaken(chat="chat" in str(exc.orig))


class ContactRepository:
    """Stores contacts; the unique indexes on active ones are the last word on a race."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count_active(self, customer_id: UUID) -> int:
        """Return how many active contacts the customer has."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(contact)
            .where(contact.c.customer_id == customer_id, contact.c.active)
        )
        return count or 0

    async def is_taken(
        self, *, email: str, chat_id: str | None, except_id: UUID | None = None
    ) -> bool:
        """Tell whether an active contact (other than ``except_id``) has the email or chat id."""
        taken_by = [func.lower(contact.c.email) == email.lower()]
        if chat_id:
            taken_by.append(contact.c.chat_id == chat_id)
        condition = and_(contact.c.active, or_(*taken_by))
        if except_id is not None:
            condition = and_(condition, contact.c.id != except_id)
        found = await self._session.scalar(select(contact.c.id).where(condition).limit(1))
        return found is not None

    async def add(self, contact_id: UUID, customer_id: UUID, values: dict[str, Any]) -> ContactRead:
        """Insert a contact.

        Raises:
            ContactTaken: a concurrent add took the email or chat id first.
        """
        try:
            row = (
                await self._session.execute(
                    insert(contact)
                    .values(id=contact_id, customer_id=customer_id, **values)
                    .returning(contact)
                )
            ).one()
        except IntegrityError as exc:
            raise _taken(exc) from None
        return contact_read(row)

    async def get(self, customer_id: UUID, contact_id: UUID) -> ContactRead | None:
        """Return one contact of a customer, or None."""
        row = (
            await self._session.execute(
                select(contact).where(
                    contact.c.id == contact_id, contact.c.customer_id == customer_id
                )
            )
        ).one_or_none()
        return None if row is None else contact_read(row)

    async def of_customer(self, customer_id: UUID, *, active: bool | None) -> list[ContactRead]:
        """Return a customer's contacts, oldest first (maybe only active or inactive ones)."""
        stmt = select(contact).where(contact.c.customer_id == customer_id)
        if active is not None:
            stmt = stmt.where(contact.c.active == active)
        rows = await self._session.execute(stmt.order_by(contact.c.created_at, contact.c.id))
        return [contact_read(r) for r in rows.all()]

    async def update(self, contact_id: UUID, values: dict[str, Any]) -> ContactRead:
        """Change a contact's columns.

        Raises:
            ContactTaken: a concurrent change took the email or chat id first.
        """
        try:
            row = (
                await self._session.execute(
                    update(contact)
                    .where(contact.c.id == contact_id)
                    .values(**values, updated_at=func.now())
                    .returning(contact)
                )
            ).one()
        except IntegrityError as exc:
            raise _taken(exc) from None
        return contact_read(row)
