"""Customers: register, read, change and list them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from entitlement.commands import CustomerCreate, CustomerUpdate
from entitlement.domain.catalogue import Tier
from entitlement.readmodels import CustomerPage, CustomerRead
from entitlement.uow import UnitOfWork
from entitlement.usecases.checks import entitlement_state
from entitlement.usecases.common import customer_or_404, in_force, refuse_nulls
from shared.events.base import new_id
from shared.events.contracts import CustomerChanged


async def _announce(uow: UnitOfWork, read: CustomerRead, *, change: str, now: datetime) -> None:
    _, policy = await in_force(uow, read.id, now)
    await uow.outbox.publish(
        CustomerChanged(
            customer_id=read.id,
            change=change,
            customer=read.model_dump(mode="json"),
            tier=read.tier,
            effective_policy=policy,
            effective_policy_version=policy.version if policy else None,
            **await entitlement_state(uow, read.id, now),
        ),
        subject=str(read.id),
    )


async def create_customer(cmd: CustomerCreate, uow: UnitOfWork, *, now: datetime) -> CustomerRead:
    """Register a customer and announce it."""
    async with uow:
        customer_id = new_id()
        await uow.customers.add(customer_id, cmd.model_dump())
        read = await customer_or_404(uow, customer_id, now=now)
        await _announce(uow, read, change="created", now=now)
        await uow.commit()
    return read


async def get_customer(customer_id: UUID, uow: UnitOfWork, *, now: datetime) -> CustomerRead:
    """Return one customer (with its effective tier now) or raise NotFound."""
    async with uow:
        return await customer_or_404(uow, customer_id, now=now)


async def update_customer(
    customer_id: UUID, cmd: CustomerUpdate, uow: UnitOfWork, *, now: datetime
) -> CustomerRead:
    """Change a customer's data; only the fields sent change (null clears warranty)."""
    changes = cmd.model_dump(exclude_unset=True)
    refuse_nulls(changes, "name", "trained_specialists", "products")
    async with uow:
        await customer_or_404(uow, customer_id, now=now, lock=True)
        if changes:
            await uow.customers.update(customer_id, changes)
        read = await customer_or_404(uow, customer_id, now=now)
        if changes:
            await _announce(uow, read, change="updated", now=now)
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def list_customers(
    uow: UnitOfWork,
    *,
    now: datetime,
    limit: int,
    offset: int,
    name: str | None,
    tier: Tier | None,
    product: str | None,
    only: UUID | None = None,
) -> CustomerPage:
    """Return a page of customers, oldest first, filtered by name part, tier and product.

    ``only`` is a customer-bound caller's own customer: the page holds at most that one.
    """
    async with uow:
        items, total = await uow.customers.page(
            now=now, limit=limit, offset=offset, name=name, tier=tier, product=product, only=only
        )
    return CustomerPage(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if offset + limit < total else None,
    )
