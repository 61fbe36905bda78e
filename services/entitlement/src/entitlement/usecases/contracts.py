"""Contracts: sign, read and change them; announce their starts and ends as they pass."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from entitlement.commands import ContractCreate, ContractUpdate, ScheduleIn
from entitlement.domain.calendar import (
    CalendarOverrides,
    apply_overrides,
    business_hours,
    twenty_four_seven,
    validate_schedule,
)
from entitlement.domain.catalogue import CATALOGUE, DEFAULT_POLICY_VERSION, Severity, Tier
from entitlement.domain.entitlement import check_contract, contract_bounds
from entitlement.domain.policy import contract_policy, default_policy, schedule_dict
from entitlement.readmodels import ContractRead, CustomerRead
from entitlement.uow import Instant, Stamp, UnitOfWork
from entitlement.usecases.checks import entitlement_state
from entitlement.usecases.common import customer_or_404, in_force, stored_json
from shared.errors import NotFound, Unprocessable
from shared.events.base import new_id
from shared.events.contracts import ContractChanged
from shared.events.policy import PolicyDocument
from shared.logging import get_logger
from shared.poller import DueJob

log = get_logger(__name__)


def _schedule_doc(spec: ScheduleIn) -> dict[str, Any]:
    base = twenty_four_seven() if spec.kind == "24x7" else business_hours()
    doc = {**base, "kind": spec.kind}
    given = spec.model_dump(exclude_none=True, exclude={"kind"})
    for key in ("opens", "closes"):
        if key in given:
            doc[key] = given[key].isoformat()
    if "breaks" in given:
        doc["breaks"] = [[s.isoformat(), e.isoformat()] for s, e in given["breaks"]]
    for key in ("timezone", "weekdays", "country"):
        if key in given:
            doc[key] = given[key]
    return validate_schedule(doc)


def own_policy(
    cmd: ContractCreate, *, tier: Tier, contract_id: UUID, overrides: CalendarOverrides
) -> PolicyDocument | None:
    """Return the contract's own policy ("determined by the support contract"), if it has one.

    Raises:
        Unprocessable: a target, the schedule or a warning percentage is not valid, or
            the schedule does not combine with the customer's calendar.
    """
    terms = cmd.policy
    if terms is None or not (
        terms.targets
        or terms.schedule
        or terms.warning_percents
        or terms.critical_resolution_starts
    ):
        return None
    try:
        document = contract_policy(
            version=f"contract-{contract_id}",
            tier=tier,
            base=default_policy(),
            targets={Severity(s): (t.response, t.resolution) for s, t in terms.targets.items()},
            schedule=_schedule_doc(terms.schedule) if terms.schedule else None,
            warning_percents=terms.warning_percents,
            critical_resolution_starts=terms.critical_resolution_starts,
        )
        apply_overrides(
            schedule_dict(document.schedules[tier]), overrides, shortened=cmd.shortened_pre_holidays
        )
    except ValueError as exc:
        raise Unprocessable(
            f"The contract's policy is not valid: {exc}.", slug="invalid-policy"
        ) from None
    return document


async def _announce(uow: UnitOfWork, read: ContractRead, *, change: str, now: datetime) -> None:
    """Stage ``contract.changed`` with the tier and policy in force right after the change."""
    effective_tier, policy = await in_force(uow, read.customer_id, now)
    await uow.outbox.publish(
        ContractChanged(
            customer_id=read.customer_id,
            change=change,
            contract=read.model_dump(mode="json"),
            contract_id=read.id,
            tier=Tier(read.tier),
            # After an expiry: the tier the customer falls back to.
            effective_tier=effective_tier or Tier.basic,
            effective_policy=policy,
            effective_policy_version=policy.version if policy else None,
            **await entitlement_state(uow, read.customer_id, now),
        ),
        subject=str(read.customer_id),
    )


def _columns(
    cmd: ContractCreate,
    *,
    cust: CustomerRead,
    tier: Tier,
    contract_id: UUID,
    policy_version: str,
    now: datetime,
) -> dict[str, Any]:
    starts_at, ends_at = contract_bounds(cmd.starts_on, cmd.ends_on, cust.timezone)
    return {
        "id": contract_id,
        "customer_id": cust.id,
        "tier": tier.value,
        "tier_rank": CATALOGUE[tier].rank,
        "starts_on": cmd.starts_on,
        "ends_on": cmd.ends_on,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "dedicated_manager": stored_json(cmd.dedicated_manager),
        "dedicated_engineer": stored_json(cmd.dedicated_engineer),
        "escalation_policy": stored_json(cmd.escalation_policy),
        "alert_severity_map": severity_map(cmd.alert_severity_map),
        "alert_severity_label": cmd.alert_severity_label,
        "policy_version": policy_version,
        "shortened_pre_holidays": cmd.shortened_pre_holidays,
        # A contract already started is announced now; one signed ahead, by the job.
        "start_announced_at": now if starts_at <= now else None,
    }


async def add_contract(
    customer_id: UUID, cmd: ContractCreate, uow: UnitOfWork, *, now: datetime
) -> ContractRead:
    """Sign a contract for a contract tier (rules, section 2), maybe with its own policy."""
    async with uow:
        cust = await customer_or_404(uow, customer_id, now=now, lock=True)
        tier = check_contract(
            tier=cmd.tier,
            starts_on=cmd.starts_on,
            ends_on=cmd.ends_on,
            trained_specialists=cust.trained_specialists,
            dedicated_manager=cmd.dedicated_manager,
            dedicated_engineer=cmd.dedicated_engineer,
            alert_mapping=cmd.alert_severity_map or cmd.alert_severity_label,
        )
        contract_id = new_id()
        overrides = await uow.policies.calendar_overrides(cust.calendar_version)
        document = own_policy(
            cmd, tier=tier, contract_id=contract_id, overrides=overrides or CalendarOverrides()
        )
        if document is not None:
            await uow.policies.add(document, contract_id=contract_id)
        values = _columns(
            cmd,
            cust=cust,
            tier=tier,
            contract_id=contract_id,
            policy_version=document.version if document else DEFAULT_POLICY_VERSION,
            now=now,
        )
        read = await uow.contracts.add(values, now=now)
        await _announce(uow, read, change="created", now=now)
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def list_contracts(
    customer_id: UUID, uow: UnitOfWork, *, now: datetime
) -> list[ContractRead]:
    """Return a customer's contracts, newest start first."""
    async with uow:
        await customer_or_404(uow, customer_id, now=now)
        return await uow.contracts.of_customer(customer_id, now=now)


def _no_contract(customer_id: UUID, contract_id: UUID) -> NotFound:
    return NotFound(
        f"Customer {customer_id} has no contract {contract_id}; "
        f"list them with GET /api/v1/customers/{customer_id}/contracts.",
        slug="unknown-contract",
    )


async def get_contract(
    customer_id: UUID, contract_id: UUID, uow: UnitOfWork, *, now: datetime
) -> ContractRead:
    """Return one contract of a customer."""
    async with uow:
        found = await uow.contracts.get(customer_id, contract_id, now=now)
    if found is None:
        raise _no_contract(customer_id, contract_id)
    return found


def severity_map(mapping: Mapping[str, Severity] | None) -> dict[str, str] | None:
    """An alert severity map as stored: label value -> severity name."""
    return None if mapping is None else {value: str(sev) for value, sev in mapping.items()}


def _changed_columns(
    cmd: ContractUpdate, *, current: ContractRead, timezone: str, now: datetime
) -> dict[str, Any]:
    """Return the columns a contract change sets, checked against the contract rules."""
    changes = cmd.model_dump(exclude_unset=True)
    if "ends_on" in changes and changes["ends_on"] is None:
        raise Unprocessable("ends_on cannot be null: a contract tier has an end date.")
    check_contract(
        tier=current.tier,
        starts_on=current.starts_on,
        ends_on=changes.get("ends_on", current.ends_on),
        trained_specialists=1,  # checked at signing only
        dedicated_manager=changes.get("dedicated_manager"),
        dedicated_engineer=changes.get("dedicated_engineer"),
        alert_mapping=changes.get("alert_severity_map") or changes.get("alert_severity_label"),
    )
    values: dict[str, Any] = dict(changes)
    for key in ("dedicated_manager", "dedicated_engineer", "escalation_policy"):
        if key in changes:
            values[key] = stored_json(getattr(cmd, key))
    if "alert_severity_map" in changes:
        values["alert_severity_map"] = severity_map(cmd.alert_severity_map)
    if "ends_on" in changes:
        _, ends_at = contract_bounds(current.starts_on, changes["ends_on"], timezone)
        values["ends_at"] = ends_at
        if ends_at > now:
            values["expired_at"] = None  # extended: its (new) end is announced again
    return values


async def update_contract(
    customer_id: UUID,
    contract_id: UUID,
    cmd: ContractUpdate,
    uow: UnitOfWork,
    *,
    now: datetime,
) -> ContractRead:
    """Extend or shorten a contract, or name its dedicated people."""
    async with uow:
        cust = await customer_or_404(uow, customer_id, now=now, lock=True)
        current = await uow.contracts.get(customer_id, contract_id, now=now)
        if current is None:
            raise _no_contract(customer_id, contract_id)
        values = _changed_columns(cmd, current=current, timezone=cust.timezone, now=now)
        read = await uow.contracts.update(contract_id, values, now=now)
        if values:
            await _announce(uow, read, change="updated", now=now)
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def announce_expired_contracts(uow: UnitOfWork, *, now: datetime, batch: int = 100) -> int:
    """Announce (once) every contract whose end has passed; return how many.

    Safe with several replicas: rows are claimed with ``FOR UPDATE SKIP LOCKED`` and
    stamped in the same transaction as their event, so each end is announced once.
    """
    return await _announce_passed(uow, EXPIRED, now=now, batch=batch)


async def announce_started_contracts(uow: UnitOfWork, *, now: datetime, batch: int = 100) -> int:
    """Announce (once) every contract signed ahead of its start whose start has come.

    Its ``contract.changed`` (change ``started``) carries the effective tier and policy
    from now on, so intake can move the customer's open tickets up (rules, section 4).
    A contract already started when signed was announced then (``start_announced_at``).
    """
    return await _announce_passed(uow, STARTED, now=now, batch=batch)


class PassedInstants(DueJob[UnitOfWork, UUID]):
    """Contracts whose ``instant`` passed while ``stamp`` is unset: the durable job's rows.

    Run by ``shared.poller.DurablePoller`` (``jobs.contract_expiry_job``): the claim skips
    rows another replica holds and the stamp commits with the event, so each end or
    start is announced once.
    """

    def __init__(self, *, instant: Instant, stamp: Stamp, change: str) -> None:
        self.instant, self.stamp, self.change = instant, stamp, change

    async def claim(self, uow: UnitOfWork, *, now: datetime, limit: int) -> list[UUID]:
        return await uow.contracts.claim_passed(
            instant=self.instant, stamp=self.stamp, now=now, batch=limit
        )

    async def act(self, uow: UnitOfWork, rows: Sequence[UUID], *, now: datetime) -> None:
        for contract_id in rows:
            stamped = await uow.contracts.stamp(contract_id, self.stamp, now=now)
            await _announce(uow, stamped, change=self.change, now=now)

    async def next_due(self, uow: UnitOfWork, *, now: datetime) -> datetime | None:
        return await uow.contracts.next_passing(instant=self.instant, stamp=self.stamp)

    async def after(self, rows: Sequence[UUID], *, now: datetime) -> None:
        log.info("contract instants announced", change=self.change, count=len(rows))


EXPIRED = PassedInstants(instant="ends_at", stamp="expired_at", change="expired")
STARTED = PassedInstants(instant="starts_at", stamp="start_announced_at", change="started")


async def _announce_passed(
    uow: UnitOfWork, job: PassedInstants, *, now: datetime, batch: int
) -> int:
    """One batch of ``job`` in one transaction; return how many."""
    async with uow:
        claimed = await job.claim(uow, now=now, limit=batch)
        await job.act(uow, claimed, now=now)
        await uow.commit()
    if claimed:
        await job.after(claimed, now=now)
    return len(claimed)
