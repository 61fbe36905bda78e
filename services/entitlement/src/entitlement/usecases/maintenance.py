"""Maintenance plans of premium contracts: create, read, replace, delete, and override one.

The rules (the RRULE, the window, moves and skips) are ``domain.maintenance``'s; these
use cases check who the customer is, keep the plan and the agents' overrides, and show
the next occurrences as the scheduler will announce them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from entitlement.domain.catalogue import CATALOGUE, tiers_with
from entitlement.domain.maintenance import (
    MAX_MOVE,
    AgreedWindow,
    MaintenancePlan,
    Override,
    next_occurrences,
)
from entitlement.maintenance_io import (
    MaintenancePlanIn,
    MaintenancePlanRead,
    OccurrenceRead,
    StoredPlan,
)
from entitlement.readmodels import CustomerRead
from entitlement.uow import UnitOfWork
from entitlement.usecases.common import customer_or_404
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from shared.events.vocabulary import Feature, Tier

FEATURE = Feature.scheduled_maintenance


def require_maintenance(customer: CustomerRead) -> Tier:
    """Refuse (403) a customer whose tier has no scheduled maintenance, naming those that do."""
    tier = Tier(customer.tier or Tier.basic)
    if FEATURE in CATALOGUE[tier].features:
        return tier
    tiers = [str(t) for t in tiers_with(FEATURE)]
    raise Forbidden(
        f"The {tier} tier does not include {FEATURE}; it comes with the {', '.join(tiers)} "
        "tier(s); ask for a contract on one of them.",
        slug="feature-not-in-tier",
        feature=str(FEATURE),
        tier=str(tier),
        tiers=tiers,
    )


def build_plan(plan_id: UUID, customer: CustomerRead, body: MaintenancePlanIn) -> MaintenancePlan:
    """Return the domain plan of ``body`` (its constructor validates every rule)."""
    window = body.agreed_window
    return MaintenancePlan(
        plan_id=plan_id,
        customer_id=customer.id,
        what=body.what,
        frequency=body.frequency,
        rrule=body.rrule,
        timezone=body.timezone or customer.timezone,
        starts_at=body.starts_at,
        lead=body.lead,
        window=body.window,
        agreed_window=AgreedWindow(
            weekdays=frozenset(window.weekdays), starts=window.starts, ends=window.ends
        )
        if window
        else None,
        outside_window=body.outside_window,
    )


async def _checked_contact(uow: UnitOfWork, customer_id: UUID, contact_id: UUID | None) -> None:
    if contact_id is None:
        return
    found = await uow.contacts.get(customer_id, contact_id)
    if found is None or not found.active:
        raise Unprocessable(
            f"contact_id {contact_id} is not an active contact of this customer.",
            slug="maintenance-plan",
        )


async def _plan_read(
    uow: UnitOfWork, stored: StoredPlan, *, now: datetime, count: int
) -> MaintenancePlanRead:
    plan = stored.plan
    overrides = await uow.maintenance.overrides(plan.plan_id)
    announced = await uow.maintenance.announced(plan.plan_id)
    coming = next_occurrences(
        plan,
        after=now,
        count=count,
        overrides={key: o.override for key, o in overrides.items()},
    )
    window = plan.agreed_window
    return MaintenancePlanRead(
        id=plan.plan_id,
        customer_id=plan.customer_id,
        contract_id=stored.contract_id,
        contact_id=stored.contact_id,
        what=plan.what,
        frequency=plan.frequency,
        rrule=plan.rrule,
        timezone=plan.timezone,
        starts_at=plan.starts_at,
        lead=plan.lead,
        window=plan.window,
        agreed_window={
            "weekdays": sorted(window.weekdays),
            "starts": window.starts,
            "ends": window.ends,
        }
        if window
        else None,
        outside_window=plan.outside_window,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        next_occurrences=[
            OccurrenceRead(
                key=o.key,
                occurrence_id=o.occurrence_id,
                outcome=o.outcome,
                original_at=o.original_at,
                scheduled_at=o.scheduled_at,
                opens_at=o.opens_at,
                reason=o.reason,
                decided_by=overrides[o.key].decided_by if o.key in overrides else None,
                announced=o.key in announced,
            )
            for o in coming
        ],
    )


async def _premium_contract(uow: UnitOfWork, customer_id: UUID, *, now: datetime) -> UUID | None:
    active = [
        c
        for c in await uow.contracts.of_customer(customer_id, now=now)
        if c.status == "active" and FEATURE in CATALOGUE[Tier(c.tier)].features
    ]
    return max(active, key=lambda c: c.ends_at).id if active else None


async def create_plan(
    body: MaintenancePlanIn, uow: UnitOfWork, *, customer_id: UUID, now: datetime
) -> MaintenancePlanRead:
    """Give a premium customer a maintenance plan.

    The watermark starts ``lead`` back from now, so an occurrence whose ticket should
    already be open (it lies within the lead time) is announced on the next pass.
    """
    async with uow:
        customer = await customer_or_404(uow, customer_id, now=now, lock=True)
        require_maintenance(customer)
        plan = build_plan(uuid4(), customer, body)
        await _checked_contact(uow, customer_id, body.contact_id)
        stored = await uow.maintenance.add(
            plan,
            contract_id=await _premium_contract(uow, customer_id, now=now),
            contact_id=body.contact_id,
            due_until=now - plan.lead,
        )
        read = await _plan_read(uow, stored, now=now, count=5)
        await uow.commit()
    return read


async def list_plans(
    uow: UnitOfWork, *, customer_id: UUID, now: datetime, count: int = 5
) -> list[MaintenancePlanRead]:
    """Return the customer's plans, each with its next ``count`` occurrences."""
    async with uow:
        await customer_or_404(uow, customer_id, now=now)
        return [
            await _plan_read(uow, stored, now=now, count=count)
            for stored in await uow.maintenance.of_customer(customer_id)
        ]


async def _own_plan(
    uow: UnitOfWork, customer_id: UUID, plan_id: UUID, *, now: datetime
) -> tuple[CustomerRead, StoredPlan]:
    customer = await customer_or_404(uow, customer_id, now=now, lock=True)
    stored = await uow.maintenance.get(plan_id, for_update=True)
    if stored is None or stored.plan.customer_id != customer_id:
        raise NotFound(
            f"No maintenance plan {plan_id} for customer {customer_id}; list them with "
            f"GET /api/v1/customers/{customer_id}/maintenance.",
            slug="unknown-maintenance-plan",
        )
    return customer, stored


async def replace_plan(
    body: MaintenancePlanIn, uow: UnitOfWork, *, customer_id: UUID, plan_id: UUID, now: datetime
) -> MaintenancePlanRead:
    """Replace a plan's rule; occurrences already announced stay announced (by their key)."""
    async with uow:
        customer, stored = await _own_plan(uow, customer_id, plan_id, now=now)
        require_maintenance(customer)
        plan = build_plan(plan_id, customer, body)
        await _checked_contact(uow, customer_id, body.contact_id)
        # A new rule may put an occurrence within the lead time: look back for it again;
        # the keys of those already announced keep them from being announced twice.
        replaced = await uow.maintenance.replace(
            plan,
            contact_id=body.contact_id,
            due_until=min(stored.due_until, now - plan.lead),
        )
        read = await _plan_read(uow, replaced, now=now, count=5)
        await uow.commit()
    return read


async def delete_plan(uow: UnitOfWork, *, customer_id: UUID, plan_id: UUID, now: datetime) -> None:
    """Delete a plan; tickets already opened for it stay."""
    async with uow:
        await _own_plan(uow, customer_id, plan_id, now=now)
        await uow.maintenance.delete(plan_id)
        await uow.commit()


def _original(key: str, plan: MaintenancePlan) -> datetime:
    """Return the rule's instant the key names, or raise NotFound if the rule has none."""
    _, _, instant = key.partition("@")
    try:
        original = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        original = None
    if (
        original is None
        or original.tzinfo is None
        or next(plan.instants(original), None) != original
    ):
        raise NotFound(
            f"The plan has no occurrence {key!r}; the keys are in its next_occurrences.",
            slug="unknown-maintenance-occurrence",
        )
    return original


async def override_occurrence(
    override: Override,
    uow: UnitOfWork,
    *,
    customer_id: UUID,
    key: str,
    by: str | None,
    now: datetime,
) -> MaintenancePlanRead:
    """Skip or move one occurrence; refused (409) once it has been announced."""
    plan_id = _plan_id(key)
    async with uow:
        _, stored = await _own_plan(uow, customer_id, plan_id, now=now)
        original = _original(key, stored.plan)
        if override.to is not None and abs(override.to - original) > MAX_MOVE:
            raise Unprocessable(
                f"An occurrence moves by at most {MAX_MOVE.days} days; skip it instead.",
                slug="maintenance-override",
            )
        if override.to is not None and override.to <= now:
            raise Unprocessable(
                "An occurrence moves to a future instant.", slug="maintenance-override"
            )
        if key in await uow.maintenance.announced(plan_id):
            raise Conflict(
                f"Occurrence {key} is already announced (its ticket is asked for); change "
                "the ticket instead.",
                slug="maintenance-occurrence-announced",
            )
        await uow.maintenance.put_override(key, plan_id=plan_id, override=override, by=by)
        # Moved earlier, its ticket may be due already: the next pass looks back a lead.
        await uow.maintenance.rewind(plan_id, now - stored.plan.lead)
        read = await _plan_read(uow, stored, now=now, count=5)
        await uow.commit()
    return read


def _plan_id(key: str) -> UUID:
    head, _, _ = key.partition("@")
    try:
        return UUID(head)
    except ValueError:
        raise NotFound(
            f"{key!r} is not an occurrence key (<plan id>@<instant>).",
            slug="unknown-maintenance-occurrence",
        ) from None
