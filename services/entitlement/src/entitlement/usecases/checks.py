"""Entitlement checks: what a contact's customer is owed at an instant, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from entitlement.domain.catalogue import CATALOGUE, MAX_ACTIVE_CONTACTS
from entitlement.domain.entitlement import Snapshot
from entitlement.domain.policy import schedule_dict
from entitlement.readmodels import EntitlementRead
from entitlement.uow import UnitOfWork
from entitlement.usecases.common import no_customer
from shared.errors import NotFound


async def _entitlement(snap: Snapshot, *, at: datetime, uow: UnitOfWork) -> EntitlementRead:
    async with uow:  # the policy is usually in memory already: then no I/O at all
        return await answer(snap, at=at, uow=uow)


async def answer(snap: Snapshot, *, at: datetime, uow: UnitOfWork) -> EntitlementRead:
    """The entitlement ``snap`` gives at ``at``, inside the caller's open transaction."""
    resolution, extras, key = snap.resolve(at)
    policy = await uow.policies.effective(key)
    if policy is None:  # a stored version vanished: the schema is damaged, not the request
        raise RuntimeError(f"policy or calendar version missing: {key}")
    tier = resolution.tier
    spec = CATALOGUE[tier]
    return EntitlementRead(
        customer_id=snap.customer_id,
        customer_name=snap.name,
        contact_id=snap.contact_id,
        at=at,
        tier=tier.value,
        priority=spec.priority,
        reason=resolution.reason,
        contract_id=resolution.contract.id if resolution.contract else None,
        contract_ends_on=resolution.contract.ends_on if resolution.contract else None,
        policy_version=policy.version,
        policy=policy,
        calendar_version=snap.calendar_version,
        timezone=snap.timezone,
        schedule=schedule_dict(policy.schedules[tier]),
        targets={s.value: t.model_dump(mode="json") for s, t in policy.targets[tier].items()},
        features=spec.feature_flags(),
        max_open_tickets=spec.max_open_tickets,
        dedicated_manager=extras.dedicated_manager if extras else None,
        dedicated_engineer=extras.dedicated_engineer if extras else None,
        customer_obligations=list(spec.customer_obligations),
        products=list(snap.products),
        alert_severity_map=extras.alert_severity_map if extras else None,
        alert_severity_label=extras.alert_severity_label if extras else None,
    )


async def entitlement_for_contact(
    *, email: str | None, chat_id: str | None, at: datetime, uow: UnitOfWork
) -> EntitlementRead:
    """The effective entitlement of the customer an active contact belongs to.

    Answered from the process's cache when it holds the contact (see adapters/cache.py),
    else by one indexed query whose result is cached.
    """
    key = f"e:{email.lower()}" if email else f"c:{chat_id}"
    cache = uow.entitlement_cache
    snap: Snapshot | None = cache.get(key) if cache is not None else None
    if snap is None:
        generation = cache.generation if cache is not None else 0
        async with uow:
            if email:
                snap = await uow.checks.by_email(email)
            else:
                snap = await uow.checks.by_chat(chat_id or "")
        if snap is None:
            raise NotFound(
                f"{email or chat_id} is not the {'email' if email else 'chat id'} of an "
                "active contact of any customer, so it may not open tickets; a customer "
                f"names up to {MAX_ACTIVE_CONTACTS} contacts with "
                "POST /api/v1/customers/{id}/contacts.",
                slug="unknown-contact",
            )
        if cache is not None:
            cache.put(key, snap.customer_id, snap, generation=generation)
    return await _entitlement(snap, at=at, uow=uow)


async def entitlement_for_customer(
    customer_id: UUID, *, at: datetime, uow: UnitOfWork
) -> EntitlementRead:
    """The effective entitlement of a customer at instant ``at``."""
    async with uow:
        snap = await uow.checks.by_customer(customer_id)
    if snap is None:
        raise no_customer(customer_id)
    return await _entitlement(snap, at=at, uow=uow)


async def entitlement_state(uow: UnitOfWork, customer_id: UUID, now: datetime) -> dict[str, Any]:
    """The ``EntitlementState`` fields of an event about a change of this customer.

    Called in the change's transaction, after its writes: the answer includes them, and
    the version is the one the change signal announces at commit.
    """
    version = await uow.customer_changed(customer_id)
    snap = await uow.checks.by_customer(customer_id)
    if snap is None:
        return {"entitlement_version": version}
    read = await answer(snap, at=now, uow=uow)
    return {
        "entitlement": read.model_dump(mode="json"),
        "entitlement_until": snap.next_change(now),
        "entitlement_version": version,
    }
