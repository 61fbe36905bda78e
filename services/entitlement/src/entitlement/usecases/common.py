"""What several use cases share: finding a customer, the policy a change puts in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from entitlement.domain.catalogue import Tier
from entitlement.readmodels import CustomerRead
from entitlement.uow import UnitOfWork
from shared.errors import NotFound, Unprocessable
from shared.events.policy import PolicyDocument


def no_customer(customer_id: UUID) -> NotFound:
    """Return the 404 of an unknown customer, naming where customers are."""
    return NotFound(
        f"No customer {customer_id}; list customers with GET /api/v1/customers "
        "or create one with POST /api/v1/customers.",
        slug="unknown-customer",
    )


async def customer_or_404(
    uow: UnitOfWork, customer_id: UUID, *, now: datetime, lock: bool = False
) -> CustomerRead:
    """Return the customer (locked first when ``lock``) or raise NotFound.

    Locking first serialises the contact and contract changes of one customer.
    """
    if lock and not await uow.customers.lock(customer_id):
        raise no_customer(customer_id)
    found = await uow.customers.get(customer_id, now=now)
    if found is None:
        raise no_customer(customer_id)
    return found


async def in_force(
    uow: UnitOfWork, customer_id: UUID, now: datetime
) -> tuple[Tier | None, PolicyDocument | None]:
    """The effective tier and policy after a change, as contract and customer events carry them.

    Intake moves a customer's open tickets to a higher tier's policy from them, without
    calling back. Read in the caller's transaction, so they include its change.
    """
    snap = await uow.checks.by_customer(customer_id)
    if snap is None:
        return None, None
    resolution, _, key = snap.resolve(now)
    return resolution.tier, await uow.policies.effective(key)


def refuse_nulls(changes: dict[str, Any], *required: str) -> None:
    """Refuse a PATCH that sends null for a field that must keep a value."""
    for name in required:
        if name in changes and changes[name] is None:
            raise Unprocessable(f"{name} cannot be null; send a value or leave it out.")


def stored_json(value: BaseModel | None) -> dict[str, Any] | None:
    """A dedicated person or escalation policy as stored (JSON, no empty fields)."""
    return None if value is None else value.model_dump(mode="json", exclude_none=True)
