"""Business calendars: a customer's overrides of the tiers' working hours, in versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from entitlement.commands import CalendarIn
from entitlement.domain.calendar import (
    DEFAULT_CALENDAR_VERSION,
    CalendarOverrides,
    apply_overrides,
    business_hours,
    zone,
)
from entitlement.domain.entitlement import contract_bounds
from entitlement.domain.policy import default_policy, schedule_dict
from entitlement.readmodels import CalendarRead
from entitlement.uow import UnitOfWork
from entitlement.usecases.checks import entitlement_state
from entitlement.usecases.common import customer_or_404
from shared.errors import NotFound, Unprocessable
from shared.events.contracts import CalendarChanged


def _calendar_read(
    *,
    version: str,
    customer_id: UUID | None,
    seq: int,
    overrides: CalendarOverrides,
    created_at: datetime | None,
) -> CalendarRead:
    return CalendarRead(
        version=version,
        customer_id=customer_id,
        seq=seq,
        overrides=overrides.to_dict(),
        timezone=overrides.effective_timezone,
        schedules={
            tier.value: apply_overrides(
                schedule_dict(schedule), None if overrides.is_default else overrides
            )
            for tier, schedule in default_policy().schedules.items()
        },
        created_at=created_at,
    )


_DEFAULT_CALENDAR = _calendar_read(
    version=DEFAULT_CALENDAR_VERSION,
    customer_id=None,
    seq=0,
    overrides=CalendarOverrides(),
    created_at=None,
)


async def get_calendar(version: str, uow: UnitOfWork) -> CalendarRead:
    """Return one calendar version ("default" is the platform's)."""
    if version == DEFAULT_CALENDAR_VERSION:
        return _DEFAULT_CALENDAR
    async with uow:
        found = await uow.calendars.get(version)
    if found is None:
        raise NotFound(
            f"No calendar version {version!r}; a customer's current one is at "
            "GET /api/v1/customers/{id}/calendar.",
            slug="unknown-calendar",
        )
    return _calendar_read(
        version=found.version,
        customer_id=found.customer_id,
        seq=found.seq,
        overrides=found.overrides,
        created_at=found.created_at,
    )


async def get_customer_calendar(
    customer_id: UUID, uow: UnitOfWork, *, now: datetime
) -> CalendarRead:
    """Return the calendar version a customer's new tickets register with."""
    async with uow:
        cust = await customer_or_404(uow, customer_id, now=now)
    return await get_calendar(cust.calendar_version, uow)


def _overrides(cmd: CalendarIn) -> CalendarOverrides:
    """Return the overrides the command asks for, checked against the tiers' schedules."""
    try:
        if cmd.timezone:
            zone(cmd.timezone)
        overrides = CalendarOverrides(
            timezone=cmd.timezone,
            opens=cmd.opens,
            closes=cmd.closes,
            breaks=None if cmd.breaks is None else tuple(cmd.breaks),
            extra_days_off=frozenset(cmd.extra_days_off),
            extra_working_days=frozenset(cmd.extra_working_days),
            country=cmd.country,
        )
        apply_overrides(business_hours(), overrides)
    except ValueError as exc:
        raise Unprocessable(f"The calendar is not valid: {exc}.", slug="invalid-calendar") from None
    return overrides


async def _follow_zone(uow: UnitOfWork, customer_id: UUID, timezone: str, now: datetime) -> None:
    """Re-read the customer's contract dates in its calendar's new time zone.

    The calendar follows the customer: its contract days now begin and end at midnight
    in the new zone; a contract whose end moved into the future is announced again.
    """
    for k in await uow.contracts.of_customer(customer_id, now=now):
        starts_at, ends_at = contract_bounds(k.starts_on, k.ends_on, timezone)
        values: dict[str, Any] = {"starts_at": starts_at, "ends_at": ends_at}
        if ends_at > now:
            values["expired_at"] = None
        await uow.contracts.update(k.id, values, now=now)


async def set_customer_calendar(
    customer_id: UUID, cmd: CalendarIn, uow: UnitOfWork, *, now: datetime
) -> CalendarRead:
    """Replace a customer's calendar overrides with a new version and announce it.

    Tickets already registered keep the version they were registered with; contract
    dates are re-read in the new time zone.
    """
    overrides = _overrides(cmd)
    async with uow:
        cust = await customer_or_404(uow, customer_id, now=now, lock=True)
        seq = await uow.calendars.next_seq(customer_id)
        stored = await uow.calendars.add(
            version=f"{customer_id}.{seq}", customer_id=customer_id, seq=seq, overrides=overrides
        )
        timezone = overrides.effective_timezone
        await uow.customers.update(
            customer_id, {"calendar_version": stored.version, "timezone": timezone}
        )
        if timezone != cust.timezone:
            await _follow_zone(uow, customer_id, timezone, now)
        read = _calendar_read(
            version=stored.version,
            customer_id=customer_id,
            seq=seq,
            overrides=overrides,
            created_at=stored.created_at,
        )
        await uow.outbox.publish(
            CalendarChanged(
                customer_id=customer_id,
                calendar=read.model_dump(mode="json"),
                calendar_version=stored.version,
                previous_version=cust.calendar_version,
                **await entitlement_state(uow, customer_id, now),
            ),
            subject=str(customer_id),
        )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read
