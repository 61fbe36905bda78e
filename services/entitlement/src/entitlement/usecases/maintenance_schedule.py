"""The maintenance scheduler's pass: announce each due occurrence exactly once.

Every replica runs it. Per plan, one transaction: ask the pure rule which occurrences
come due in ``(watermark, now]``, insert each one's row keyed by its occurrence key
(``ON CONFLICT DO NOTHING``) and, only where this transaction's insert took the row,
stage its events in the outbox; then advance the watermark. A second replica or a
repeated pass finds the rows and announces nothing; a replica that was down catches
up, because the window starts at the watermark, not at the last minute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from entitlement.domain.catalogue import CATALOGUE
from entitlement.domain.maintenance import due_occurrences
from entitlement.domain.maintenance_events import occurrence_events
from entitlement.maintenance_io import StoredPlan
from entitlement.uow import UnitOfWork
from entitlement.usecases.maintenance import FEATURE
from shared.events.vocabulary import Tier


async def announce_due_occurrences(uow: Callable[[], UnitOfWork], *, now: datetime) -> int:
    """Announce what came due up to ``now`` for every plan; return how many were announced."""
    async with uow() as tx:
        plan_ids = await tx.maintenance.plan_ids()
    announced = 0
    for plan_id in plan_ids:
        announced += await _announce_plan(uow(), plan_id, now=now)
    return announced


async def _contact(tx: UnitOfWork, stored: StoredPlan) -> tuple[UUID, str] | None:
    customer_id = stored.plan.customer_id
    if stored.contact_id is not None:
        named = await tx.contacts.get(customer_id, stored.contact_id)
        if named is not None and named.active:
            return named.id, named.email
    active = await tx.contacts.of_customer(customer_id, active=True)
    return (active[0].id, active[0].email) if active else None


async def _announce_plan(tx: UnitOfWork, plan_id: UUID, *, now: datetime) -> int:
    async with tx:
        stored = await tx.maintenance.get(plan_id)
        if stored is None or stored.due_until >= now:
            return 0  # deleted meanwhile, or another replica is ahead
        plan = stored.plan
        customer = await tx.customers.get(plan.customer_id, now=now)
        premium = (
            customer is not None
            and FEATURE in CATALOGUE[Tier(customer.tier or Tier.basic)].features
        )
        announced = 0
        if premium:  # a lapsed contract's occurrences pass unannounced
            overrides = await tx.maintenance.overrides(plan_id)
            contact = await _contact(tx, stored)
            due = due_occurrences(
                plan,
                since=stored.due_until,
                now=now,
                overrides={key: o.override for key, o in overrides.items()},
            )
            for occurrence in due:
                if not await tx.maintenance.record(occurrence, now=now):
                    continue  # announced by another pass or replica
                by = overrides[occurrence.key].decided_by if occurrence.key in overrides else None
                for data in occurrence_events(plan, occurrence, by=by, contact=contact):
                    await tx.outbox.publish(data, subject=str(plan.customer_id))
                announced += 1
        await tx.maintenance.advance(plan_id, now)
        await tx.commit()
    return announced
