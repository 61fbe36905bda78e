"""Use cases of entitlement: customers, contracts, contacts, calendars, releases, checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import Date, and_, case, cast, func, insert, or_, select, text, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters import documents
from entitlement.adapters.orm import calendar, contact, contract, customer, policy, release
from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.api.schemas import (
    CalendarIn,
    CalendarRead,
    ContactCreate,
    ContactRead,
    ContactUpdate,
    ContractCreate,
    ContractRead,
    ContractUpdate,
    CustomerCreate,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
    EntitlementRead,
    PolicyRead,
    ReleaseCreate,
    ReleaseRead,
    ScheduleIn,
    TierRead,
)
from entitlement.config import SCHEMA
from entitlement.domain.calendar import (
    DEFAULT_CALENDAR_VERSION,
    CalendarOverrides,
    apply_overrides,
    business_hours,
    twenty_four_seven,
    validate_schedule,
    zone,
)
from entitlement.domain.catalogue import (
    CATALOGUE,
    DEFAULT_POLICY_VERSION,
    MAX_ACTIVE_CONTACTS,
    Severity,
    Tier,
)
from entitlement.domain.entitlement import (
    ContractTerm,
    check_contract,
    contract_bounds,
    resolve,
)
from entitlement.domain.policy import (
    contract_policy,
    default_policy,
    schedule_dict,
    split_version,
)
from shared.errors import Conflict, NotFound, Unprocessable
from shared.events.base import new_id
from shared.events.contracts import (
    CalendarChanged,
    ContactChanged,
    ContractChanged,
    CustomerChanged,
    ReleasePublished,
)
from shared.events.policy import PolicyDocument
from shared.logging import get_logger

log = get_logger(__name__)

_RANK_TIER = {spec.rank: tier for tier, spec in CATALOGUE.items()}


# --------------------------------------------------------------------------- reads


def _tier_rank_expr(now: datetime) -> Any:
    """SQL for the customer's effective tier rank at ``now`` (same rule as ``resolve``)."""
    active = (
        select(func.max(contract.c.tier_rank))
        .where(
            contract.c.customer_id == customer.c.id,
            contract.c.starts_at <= now,
            contract.c.ends_at > now,
        )
        .scalar_subquery()
    )
    local_today = cast(func.timezone(customer.c.timezone, now), Date)
    in_warranty = case(
        (customer.c.warranty_until >= local_today, CATALOGUE[Tier.standard].rank),
        else_=CATALOGUE[Tier.basic].rank,
    )
    return func.coalesce(active, in_warranty)


def _lists_product(product: str) -> Any:
    """SQL: the customer lists ``product`` (names compare case-insensitively)."""
    return text(
        f'EXISTS (SELECT 1 FROM unnest("{SCHEMA}".customer.products) AS p(name) '
        "WHERE lower(p.name) = lower(:product))"
    ).bindparams(product=product.strip())


def _customer_read(row: Any) -> CustomerRead:
    rank = getattr(row, "tier_rank", None)
    return CustomerRead(
        id=row.id,
        name=row.name,
        trained_specialists=row.trained_specialists,
        warranty_until=row.warranty_until,
        products=list(row.products),
        timezone=row.timezone,
        calendar_version=row.calendar_version or DEFAULT_CALENDAR_VERSION,
        tier=_RANK_TIER[rank].value if rank is not None else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
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
        language=row.language,
    )


def _doc(value: Any) -> dict[str, Any] | None:
    """A dedicated person or policy as stored (JSON, no empty fields)."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return dict(value)


def _contract_read(row: Any, now: datetime) -> ContractRead:
    status = "scheduled" if now < row.starts_at else "active" if now < row.ends_at else "ended"
    return ContractRead(
        id=row.id,
        customer_id=row.customer_id,
        tier=row.tier,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=status,
        dedicated_manager=row.dedicated_manager,
        dedicated_engineer=row.dedicated_engineer,
        escalation_policy=row.escalation_policy,
        policy_version=row.policy_version,
        shortened_pre_holidays=row.shortened_pre_holidays,
        expiry_announced_at=row.expired_at,
        created_at=row.created_at,
    )


def _no_customer(customer_id: UUID) -> NotFound:
    return NotFound(
        f"No customer {customer_id}; list customers with GET /api/v1/customers "
        "or create one with POST /api/v1/customers.",
        slug="unknown-customer",
    )


async def _customer_row(
    session: AsyncSession, customer_id: UUID, *, now: datetime, lock: bool = False
) -> Any:
    if lock:
        # Lock first (serialises contact and contract changes of one customer), then read.
        locked = await session.scalar(
            select(customer.c.id).where(customer.c.id == customer_id).with_for_update()
        )
        if locked is None:
            raise _no_customer(customer_id)
    row = (
        await session.execute(
            select(customer, _tier_rank_expr(now).label("tier_rank")).where(
                customer.c.id == customer_id
            )
        )
    ).one_or_none()
    if row is None:
        raise _no_customer(customer_id)
    return row


def list_tiers() -> list[TierRead]:
    """Return the catalogue, highest tier first, with the default policy's schedules."""
    base = default_policy()
    return [
        TierRead.model_validate(spec.to_dict(schedule_dict(base.schedules[tier])))
        for tier, spec in sorted(CATALOGUE.items(), key=lambda item: item[1].priority)
    ]


# ----------------------------------------------------------------------- customers


async def create_customer(
    cmd: CustomerCreate, uow: EntitlementUnitOfWork, *, now: datetime
) -> CustomerRead:
    """Register a customer and announce it."""
    async with uow:
        customer_id = new_id()
        await uow.session.execute(insert(customer).values(id=customer_id, **cmd.model_dump()))
        read = _customer_read(await _customer_row(uow.session, customer_id, now=now))
        await uow.outbox.publish(
            CustomerChanged(
                customer_id=customer_id,
                change="created",
                customer=read.model_dump(mode="json"),
                tier=read.tier,
                **await _policy_fields(uow.session, customer_id, now),
            ),
            subject=str(customer_id),
        )
        await uow.commit()
    return read


async def get_customer(
    customer_id: UUID, uow: EntitlementUnitOfWork, *, now: datetime
) -> CustomerRead:
    """Return one customer (with its effective tier now) or raise NotFound."""
    async with uow:
        return _customer_read(await _customer_row(uow.session, customer_id, now=now))


async def update_customer(
    customer_id: UUID, cmd: CustomerUpdate, uow: EntitlementUnitOfWork, *, now: datetime
) -> CustomerRead:
    """Change a customer's data; only the fields sent change (null clears warranty)."""
    changes = cmd.model_dump(exclude_unset=True)
    for required in ("name", "trained_specialists", "products"):
        if required in changes and changes[required] is None:
            raise Unprocessable(f"{required} cannot be null; send a value or leave it out.")
    async with uow:
        await _customer_row(uow.session, customer_id, now=now, lock=True)
        if changes:
            await uow.session.execute(
                update(customer)
                .where(customer.c.id == customer_id)
                .values(**changes, updated_at=func.now())
            )
        read = _customer_read(await _customer_row(uow.session, customer_id, now=now))
        if changes:
            await uow.outbox.publish(
                CustomerChanged(
                    customer_id=customer_id,
                    change="updated",
                    customer=read.model_dump(mode="json"),
                    tier=read.tier,
                    **await _policy_fields(uow.session, customer_id, now),
                ),
                subject=str(customer_id),
            )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def list_customers(
    uow: EntitlementUnitOfWork,
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
    rank = _tier_rank_expr(now)
    conditions: list[Any] = [] if only is None else [customer.c.id == only]
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(customer.c.name.ilike(f"%{escaped}%", escape="\\"))
    if tier is not None:
        conditions.append(rank == CATALOGUE[tier].rank)
    if product:
        conditions.append(_lists_product(product))
    where = and_(true(), *conditions)
    async with uow:
        total = await uow.session.scalar(select(func.count()).select_from(customer).where(where))
        rows = (
            await uow.session.execute(
                select(customer, rank.label("tier_rank"))
                .where(where)
                .order_by(customer.c.created_at, customer.c.id)
                .limit(limit)
                .offset(offset)
            )
        ).all()
    total = total or 0
    return CustomerPage(
        items=[_customer_read(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if offset + limit < total else None,
    )


# ----------------------------------------------------------------------- contracts


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


async def _current_overrides(session: AsyncSession, cust: Any) -> CalendarOverrides:
    version = cust.calendar_version or DEFAULT_CALENDAR_VERSION
    return await documents.calendar_overrides(session, version) or CalendarOverrides()


async def _effective_tier(session: AsyncSession, customer_id: UUID, now: datetime) -> Tier:
    rank = await session.scalar(select(_tier_rank_expr(now)).where(customer.c.id == customer_id))
    return _RANK_TIER[rank] if rank is not None else Tier.basic


async def _policy_fields(session: AsyncSession, customer_id: UUID, now: datetime) -> dict[str, Any]:
    """``effective_policy`` and its version for a contract or customer event."""
    doc = await _effective_policy(session, customer_id, now)
    if doc is None:
        return {}
    return {"effective_policy": doc, "effective_policy_version": doc.version}


async def add_contract(
    customer_id: UUID, cmd: ContractCreate, uow: EntitlementUnitOfWork, *, now: datetime
) -> ContractRead:
    """Sign a contract for a contract tier (rules, section 2), maybe with its own policy."""
    async with uow:
        cust = await _customer_row(uow.session, customer_id, now=now, lock=True)
        tier = check_contract(
            tier=cmd.tier,
            starts_on=cmd.starts_on,
            ends_on=cmd.ends_on,
            trained_specialists=cust.trained_specialists,
            dedicated_manager=cmd.dedicated_manager,
            dedicated_engineer=cmd.dedicated_engineer,
        )
        contract_id = new_id()
        policy_version = DEFAULT_POLICY_VERSION
        overrides = await _current_overrides(uow.session, cust)
        if cmd.policy is not None and (
            cmd.policy.targets or cmd.policy.schedule or cmd.policy.warning_percents is not None
        ):
            policy_version = f"contract-{contract_id}"
            try:
                document = contract_policy(
                    version=policy_version,
                    tier=tier,
                    base=default_policy(),
                    targets={
                        Severity(sev): (t.response, t.resolution)
                        for sev, t in cmd.policy.targets.items()
                    },
                    schedule=_schedule_doc(cmd.policy.schedule) if cmd.policy.schedule else None,
                    warning_percents=cmd.policy.warning_percents,
                )
                apply_overrides(
                    schedule_dict(document.schedules[tier]),
                    overrides,
                    shortened=cmd.shortened_pre_holidays,
                )
            except ValueError as exc:
                raise Unprocessable(
                    f"The contract's policy is not valid: {exc}.", slug="invalid-policy"
                ) from None
            await uow.session.execute(
                insert(policy).values(
                    version=policy_version,
                    contract_id=contract_id,
                    document=document.model_dump(mode="json"),
                )
            )
        starts_at, ends_at = contract_bounds(cmd.starts_on, cmd.ends_on, cust.timezone)
        row = (
            await uow.session.execute(
                insert(contract)
                .values(
                    id=contract_id,
                    customer_id=customer_id,
                    tier=tier.value,
                    tier_rank=CATALOGUE[tier].rank,
                    starts_on=cmd.starts_on,
                    ends_on=cmd.ends_on,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    dedicated_manager=_doc(cmd.dedicated_manager),
                    dedicated_engineer=_doc(cmd.dedicated_engineer),
                    escalation_policy=_doc(cmd.escalation_policy),
                    policy_version=policy_version,
                    shortened_pre_holidays=cmd.shortened_pre_holidays,
                    start_announced_at=now if starts_at <= now else None,
                )
                .returning(contract)
            )
        ).one()
        read = _contract_read(row, now)
        await uow.outbox.publish(
            ContractChanged(
                customer_id=customer_id,
                change="created",
                contract=read.model_dump(mode="json"),
                contract_id=contract_id,
                tier=tier.value,
                effective_tier=(await _effective_tier(uow.session, customer_id, now)).value,
                **await _policy_fields(uow.session, customer_id, now),
            ),
            subject=str(customer_id),
        )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def list_contracts(
    customer_id: UUID, uow: EntitlementUnitOfWork, *, now: datetime
) -> list[ContractRead]:
    """Return a customer's contracts, newest start first."""
    async with uow:
        await _customer_row(uow.session, customer_id, now=now)
        rows = (
            await uow.session.execute(
                select(contract)
                .where(contract.c.customer_id == customer_id)
                .order_by(contract.c.starts_at.desc(), contract.c.id)
            )
        ).all()
    return [_contract_read(r, now) for r in rows]


async def get_contract(
    customer_id: UUID, contract_id: UUID, uow: EntitlementUnitOfWork, *, now: datetime
) -> ContractRead:
    """Return one contract of a customer."""
    async with uow:
        row = (
            await uow.session.execute(
                select(contract).where(
                    contract.c.id == contract_id, contract.c.customer_id == customer_id
                )
            )
        ).one_or_none()
    if row is None:
        raise NotFound(
            f"Customer {customer_id} has no contract {contract_id}; "
            f"list them with GET /api/v1/customers/{customer_id}/contracts.",
            slug="unknown-contract",
        )
    return _contract_read(row, now)


async def update_contract(
    customer_id: UUID,
    contract_id: UUID,
    cmd: ContractUpdate,
    uow: EntitlementUnitOfWork,
    *,
    now: datetime,
) -> ContractRead:
    """Extend or shorten a contract, or name its dedicated people."""
    changes = cmd.model_dump(exclude_unset=True)
    if "ends_on" in changes and changes["ends_on"] is None:
        raise Unprocessable("ends_on cannot be null: a contract tier has an end date.")
    async with uow:
        cust = await _customer_row(uow.session, customer_id, now=now, lock=True)
        current = (
            await uow.session.execute(
                select(contract).where(
                    contract.c.id == contract_id, contract.c.customer_id == customer_id
                )
            )
        ).one_or_none()
        if current is None:
            raise NotFound(
                f"Customer {customer_id} has no contract {contract_id}.", slug="unknown-contract"
            )
        check_contract(
            tier=current.tier,
            starts_on=current.starts_on,
            ends_on=changes.get("ends_on", current.ends_on),
            trained_specialists=max(cust.trained_specialists, 1),  # checked at signing only
            dedicated_manager=changes.get("dedicated_manager"),
            dedicated_engineer=changes.get("dedicated_engineer"),
        )
        values: dict[str, Any] = dict(changes)
        for key in ("dedicated_manager", "dedicated_engineer", "escalation_policy"):
            if key in changes:
                values[key] = _doc(getattr(cmd, key))
        if "ends_on" in changes:
            _, ends_at = contract_bounds(current.starts_on, changes["ends_on"], cust.timezone)
            values["ends_at"] = ends_at
            if ends_at > now:
                values["expired_at"] = None  # extended: its (new) end is announced again
        row = (
            await uow.session.execute(
                update(contract)
                .where(contract.c.id == contract_id)
                .values(**values, updated_at=func.now())
                .returning(contract)
            )
        ).one()
        read = _contract_read(row, now)
        if changes:
            await uow.outbox.publish(
                ContractChanged(
                    customer_id=customer_id,
                    change="updated",
                    contract=read.model_dump(mode="json"),
                    contract_id=contract_id,
                    tier=read.tier,
                    effective_tier=(await _effective_tier(uow.session, customer_id, now)).value,
                    **await _policy_fields(uow.session, customer_id, now),
                ),
                subject=str(customer_id),
            )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def announce_expired_contracts(
    uow: EntitlementUnitOfWork, *, now: datetime, batch: int = 100
) -> int:
    """Announce (once) every contract whose end has passed; return how many.

    Safe with several replicas: rows are claimed with ``FOR UPDATE SKIP LOCKED`` and
    stamped in the same transaction as their event, so each end is announced once.
    """
    return await _announce_passed(
        uow, now=now, batch=batch, instant=contract.c.ends_at, stamp="expired_at", change="expired"
    )


async def announce_started_contracts(
    uow: EntitlementUnitOfWork, *, now: datetime, batch: int = 100
) -> int:
    """Announce (once) every contract signed ahead of its start whose start has come.

    Its ``contract.changed`` (change ``started``) carries the effective tier and policy
    from now on, so intake can move the customer's open tickets up (rules, section 4).
    A contract already started when signed was announced then (``start_announced_at``).
    """
    return await _announce_passed(
        uow,
        now=now,
        batch=batch,
        instant=contract.c.starts_at,
        stamp="start_announced_at",
        change="started",
    )


async def _announce_passed(
    uow: EntitlementUnitOfWork,
    *,
    now: datetime,
    batch: int,
    instant: Any,
    stamp: str,
    change: str,
) -> int:
    """Claim contracts whose ``instant`` passed and ``stamp`` is unset; stamp and announce."""
    async with uow:
        rows = (
            await uow.session.execute(
                select(contract)
                .where(contract.c[stamp].is_(None), instant <= now)
                .order_by(instant)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for row in rows:
            stamped = (
                await uow.session.execute(
                    update(contract)
                    .where(contract.c.id == row.id)
                    .values({stamp: now})
                    .returning(contract)
                )
            ).one()
            await uow.outbox.publish(
                ContractChanged(
                    customer_id=row.customer_id,
                    change=change,
                    contract=_contract_read(stamped, now).model_dump(mode="json"),
                    contract_id=row.id,
                    tier=row.tier,
                    # After an expiry: the tier the customer falls back to.
                    effective_tier=(await _effective_tier(uow.session, row.customer_id, now)).value,
                    **await _policy_fields(uow.session, row.customer_id, now),
                ),
                subject=str(row.customer_id),
            )
        await uow.commit()
    if rows:
        log.info("contract instants announced", change=change, count=len(rows))
    return len(rows)


# ------------------------------------------------------------------------ contacts


def _contact_conflict(exc: IntegrityError, email: str, chat_id: str | None) -> Conflict:
    which = "chat_id " + str(chat_id) if "chat" in str(exc.orig) else email
    return Conflict(
        f"{which} is already an active contact of a customer; a person opens tickets "
        "for one customer only. Deactivate that contact first.",
        slug="contact-taken",
    )


async def _count_active(session: AsyncSession, customer_id: UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(contact)
        .where(contact.c.customer_id == customer_id, contact.c.active)
    )
    return count or 0


def _limit_reached(customer_id: UUID) -> Conflict:
    return Conflict(
        f"Customer {customer_id} already has {MAX_ACTIVE_CONTACTS} active contacts, the most "
        "the support programme allows (rules, section 2). Deactivate one "
        "(POST .../contacts/{contact_id}/deactivate) to free a place.",
        slug="contact-limit",
        limit=MAX_ACTIVE_CONTACTS,
    )


async def _ensure_free(
    session: AsyncSession, *, email: str, chat_id: str | None, except_id: UUID | None = None
) -> None:
    taken_by = [func.lower(contact.c.email) == email.lower()]
    if chat_id:
        taken_by.append(contact.c.chat_id == chat_id)
    condition = and_(contact.c.active, or_(*taken_by))
    if except_id is not None:
        condition = and_(condition, contact.c.id != except_id)
    if await session.scalar(select(contact.c.id).where(condition).limit(1)) is not None:
        raise Conflict(
            f"{email}{' / ' + chat_id if chat_id else ''} is already an active contact; a "
            "person opens tickets for one customer only. Deactivate that contact first.",
            slug="contact-taken",
        )


async def add_contact(
    customer_id: UUID, cmd: ContactCreate, uow: EntitlementUnitOfWork, *, now: datetime
) -> ContactRead:
    """Name a contact who may open tickets; at most four are active at once."""
    async with uow:
        await _customer_row(uow.session, customer_id, now=now, lock=True)
        if await _count_active(uow.session, customer_id) >= MAX_ACTIVE_CONTACTS:
            raise _limit_reached(customer_id)
        await _ensure_free(uow.session, email=cmd.email, chat_id=cmd.chat_id)
        try:
            row = (
                await uow.session.execute(
                    insert(contact)
                    .values(id=new_id(), customer_id=customer_id, **cmd.model_dump())
                    .returning(contact)
                )
            ).one()
        except IntegrityError as exc:  # a concurrent add for another customer won
            raise _contact_conflict(exc, cmd.email, cmd.chat_id) from None
        read = _contact_read(row)
        await uow.outbox.publish(
            ContactChanged(
                customer_id=customer_id,
                change="created",
                contact=read.model_dump(mode="json"),
                contact_id=read.id,
            ),
            subject=str(customer_id),
        )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


async def list_contacts(
    customer_id: UUID, uow: EntitlementUnitOfWork, *, now: datetime, active: bool | None
) -> list[ContactRead]:
    """Return a customer's contacts (optionally only active or inactive ones)."""
    async with uow:
        await _customer_row(uow.session, customer_id, now=now)
        stmt = select(contact).where(contact.c.customer_id == customer_id)
        if active is not None:
            stmt = stmt.where(contact.c.active == active)
        rows = (await uow.session.execute(stmt.order_by(contact.c.created_at, contact.c.id))).all()
    return [_contact_read(r) for r in rows]


async def update_contact(
    customer_id: UUID,
    contact_id: UUID,
    cmd: ContactUpdate,
    uow: EntitlementUnitOfWork,
    *,
    now: datetime,
) -> ContactRead:
    """Change a contact; ``active`` false frees a place, true takes one (limit applies)."""
    changes = cmd.model_dump(exclude_unset=True)
    for required in ("name", "active", "language"):
        if required in changes and changes[required] is None:
            raise Unprocessable(f"{required} cannot be null; send a value or leave it out.")
    async with uow:
        await _customer_row(uow.session, customer_id, now=now, lock=True)
        current = (
            await uow.session.execute(
                select(contact).where(
                    contact.c.id == contact_id, contact.c.customer_id == customer_id
                )
            )
        ).one_or_none()
        if current is None:
            raise NotFound(
                f"Customer {customer_id} has no contact {contact_id}; "
                f"list them with GET /api/v1/customers/{customer_id}/contacts.",
                slug="unknown-contact",
            )
        will_be_active = changes.get("active", current.active)
        if will_be_active:
            if (
                not current.active
                and await _count_active(uow.session, customer_id) >= MAX_ACTIVE_CONTACTS
            ):
                raise _limit_reached(customer_id)
            await _ensure_free(
                uow.session,
                email=current.email,
                chat_id=changes.get("chat_id", current.chat_id),
                except_id=contact_id,
            )
        try:
            row = (
                await uow.session.execute(
                    update(contact)
                    .where(contact.c.id == contact_id)
                    .values(**changes, updated_at=func.now())
                    .returning(contact)
                )
            ).one()
        except IntegrityError as exc:
            raise _contact_conflict(exc, current.email, changes.get("chat_id")) from None
        read = _contact_read(row)
        change = "updated"
        if current.active != read.active:
            change = "reactivated" if read.active else "deactivated"
        if changes:
            await uow.outbox.publish(
                ContactChanged(
                    customer_id=customer_id,
                    change=change,
                    contact=read.model_dump(mode="json"),
                    contact_id=contact_id,
                ),
                subject=str(customer_id),
            )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


# ---------------------------------------------------------------------- entitlement

_CHECK_SQL = f"""
SELECT c.id, c.name, c.warranty_until, c.timezone, c.calendar_version, c.products,
       {{contact_cols}},
       k.terms
FROM "{SCHEMA}".customer c
{{contact_join}}
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
        'id', k.id, 'tier', k.tier, 'starts_on', k.starts_on, 'ends_on', k.ends_on,
        'starts_at', k.starts_at, 'ends_at', k.ends_at,
        'dedicated_manager', k.dedicated_manager, 'dedicated_engineer', k.dedicated_engineer,
        'policy_version', k.policy_version, 'shortened', k.shortened_pre_holidays)) AS terms
    FROM "{SCHEMA}".contract k
    WHERE k.customer_id = c.id
) k ON true
WHERE {{where}}
"""
# One indexed round trip per uncached check: the active-contact index finds the contact,
# the primary key its customer, (customer_id, ends_at) its contracts. All contracts come
# back (a customer has few), so the answer can be cached and resolved for any instant.
_BY_EMAIL = text(
    _CHECK_SQL.format(
        contact_cols="ct.id AS contact_id",
        contact_join=f'JOIN "{SCHEMA}".contact ct ON ct.customer_id = c.id',
        where="lower(ct.email) = lower(:who) AND ct.active",
    )
)
_BY_CHAT = text(
    _CHECK_SQL.format(
        contact_cols="ct.id AS contact_id",
        contact_join=f'JOIN "{SCHEMA}".contact ct ON ct.customer_id = c.id',
        where="ct.chat_id = :who AND ct.active",
    )
)
_BY_CUSTOMER = text(
    _CHECK_SQL.format(contact_cols="NULL::uuid AS contact_id", contact_join="", where="c.id = :who")
)


@dataclass(frozen=True)
class _Snapshot:
    """What a check needs about one customer (and contact), independent of the instant."""

    customer_id: UUID
    name: str
    warranty_until: date | None
    timezone: str
    calendar_version: str
    products: tuple[str, ...]
    contact_id: UUID | None
    terms: tuple[tuple[ContractTerm, dict[str, Any]], ...]


def _snapshot(row: Any) -> _Snapshot:
    items = json.loads(row.terms) if isinstance(row.terms, str) else (row.terms or [])
    return _Snapshot(
        customer_id=row.id,
        name=row.name,
        warranty_until=row.warranty_until,
        timezone=row.timezone,
        calendar_version=row.calendar_version or DEFAULT_CALENDAR_VERSION,
        products=tuple(row.products),
        contact_id=row.contact_id,
        terms=tuple(
            (
                ContractTerm(
                    id=UUID(item["id"]),
                    tier=Tier(item["tier"]),
                    starts_on=date.fromisoformat(item["starts_on"]),
                    ends_on=date.fromisoformat(item["ends_on"]),
                    starts_at=datetime.fromisoformat(item["starts_at"]),
                    ends_at=datetime.fromisoformat(item["ends_at"]),
                ),
                item,
            )
            for item in items
        ),
    )


def _resolved(snap: _Snapshot, at: datetime) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Resolve the tier at ``at``: (resolution, the winning contract's row, policy key)."""
    resolution = resolve(
        [t for t, _ in snap.terms],
        warranty_until=snap.warranty_until,
        at=at,
        timezone=snap.timezone,
    )
    extra: dict[str, Any] = {}
    if resolution.contract is not None:
        extra = next(item for t, item in snap.terms if t.id == resolution.contract.id)
    key = {
        "base_version": extra.get("policy_version", DEFAULT_POLICY_VERSION),
        "calendar_version": snap.calendar_version,
        "shortened": bool(extra.get("shortened", False)),
    }
    return resolution, extra, key


async def _effective_policy(
    session: AsyncSession, customer_id: UUID, now: datetime
) -> PolicyDocument | None:
    """The SLA policy a ticket admitted now would carry, read in the caller's transaction.

    Contract and customer events carry it (``effective_policy``), so intake can move a
    customer's open tickets to a higher tier's targets without calling back.
    """
    row = (await session.execute(_BY_CUSTOMER, {"who": customer_id})).one_or_none()
    if row is None:
        return None
    _, _, key = _resolved(_snapshot(row), now)
    return documents.peek(**key) or await documents.effective(session, **key)


async def _entitlement(
    snap: _Snapshot, *, at: datetime, uow: EntitlementUnitOfWork
) -> EntitlementRead:
    resolution, extra, key = _resolved(snap, at)
    doc = documents.peek(**key)
    if doc is None:
        async with uow:
            doc = await documents.effective(uow.session, **key)
    if doc is None:  # a stored version vanished: the schema is damaged, not the request
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
        policy_version=doc.version,
        policy=doc,
        calendar_version=snap.calendar_version,
        timezone=snap.timezone,
        schedule=schedule_dict(doc.schedules[tier]),
        targets={s.value: t.model_dump(mode="json") for s, t in doc.targets[tier].items()},
        features=spec.feature_flags(),
        max_open_tickets=spec.max_open_tickets,
        dedicated_manager=extra.get("dedicated_manager"),
        dedicated_engineer=extra.get("dedicated_engineer"),
        customer_obligations=list(spec.customer_obligations),
        products=list(snap.products),
    )


async def entitlement_for_contact(
    *, email: str | None, chat_id: str | None, at: datetime, uow: EntitlementUnitOfWork
) -> EntitlementRead:
    """The effective entitlement of the customer an active contact belongs to.

    Answered from the process's cache when it holds the contact (see adapters/cache.py),
    else by one indexed query whose result is cached.
    """
    stmt, who = (_BY_EMAIL, email) if email else (_BY_CHAT, chat_id)
    key = f"e:{email.lower()}" if email else f"c:{chat_id}"
    cache = uow.entitlement_cache
    snap: _Snapshot | None = cache.get(key) if cache is not None else None
    if snap is None:
        generation = cache.generation if cache is not None else 0
        async with uow:
            row = (await uow.session.execute(stmt, {"who": who})).one_or_none()
        if row is None:
            kind = "email" if email else "chat id"
            raise NotFound(
                f"{who} is not the {kind} of an active contact of any customer, so it may not "
                f"open tickets; a customer names up to {MAX_ACTIVE_CONTACTS} contacts with "
                "POST /api/v1/customers/{id}/contacts.",
                slug="unknown-contact",
            )
        snap = _snapshot(row)
        if cache is not None:
            cache.put(key, snap.customer_id, snap, generation=generation)
    return await _entitlement(snap, at=at, uow=uow)


async def entitlement_for_customer(
    customer_id: UUID, *, at: datetime, uow: EntitlementUnitOfWork
) -> EntitlementRead:
    """The effective entitlement of a customer at instant ``at``."""
    async with uow:
        row = (await uow.session.execute(_BY_CUSTOMER, {"who": customer_id})).one_or_none()
    if row is None:
        raise _no_customer(customer_id)
    return await _entitlement(_snapshot(row), at=at, uow=uow)


# ------------------------------------------------------------------ policies, calendars


async def get_policy(version: str, uow: EntitlementUnitOfWork) -> PolicyRead:
    """Return any policy version this service ever handed out, composed ones included."""
    try:
        base, calendar_version, shortened = split_version(version)
    except ValueError:
        base, calendar_version, shortened = "", None, False
    async with uow:
        doc = (
            await documents.effective(
                uow.session,
                base_version=base,
                calendar_version=calendar_version or DEFAULT_CALENDAR_VERSION,
                shortened=shortened,
            )
            if base
            else None
        )
    if doc is None:
        raise NotFound(
            f"No policy version {version!r}; the default is {DEFAULT_POLICY_VERSION!r}, "
            "others are named in entitlement answers (policy_version).",
            slug="unknown-policy",
        )
    return PolicyRead.model_validate(doc)


def _calendar_read(
    *,
    version: str,
    customer_id: UUID | None,
    seq: int,
    overrides: CalendarOverrides,
    created_at: datetime | None,
) -> CalendarRead:
    base = default_policy()
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
            for tier, schedule in base.schedules.items()
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


async def get_calendar(version: str, uow: EntitlementUnitOfWork) -> CalendarRead:
    """Return one calendar version ("default" is the platform's)."""
    if version == DEFAULT_CALENDAR_VERSION:
        return _DEFAULT_CALENDAR
    async with uow:
        row = (
            await uow.session.execute(select(calendar).where(calendar.c.version == version))
        ).one_or_none()
    if row is None:
        raise NotFound(
            f"No calendar version {version!r}; a customer's current one is at "
            "GET /api/v1/customers/{id}/calendar.",
            slug="unknown-calendar",
        )
    return _calendar_read(
        version=row.version,
        customer_id=row.customer_id,
        seq=row.seq,
        overrides=CalendarOverrides.from_dict(row.overrides),
        created_at=row.created_at,
    )


async def get_customer_calendar(
    customer_id: UUID, uow: EntitlementUnitOfWork, *, now: datetime
) -> CalendarRead:
    """Return the calendar version a customer's new tickets register with."""
    async with uow:
        cust = await _customer_row(uow.session, customer_id, now=now)
    return await get_calendar(cust.calendar_version or DEFAULT_CALENDAR_VERSION, uow)


async def set_customer_calendar(
    customer_id: UUID, cmd: CalendarIn, uow: EntitlementUnitOfWork, *, now: datetime
) -> CalendarRead:
    """Replace a customer's calendar overrides with a new version and announce it.

    Tickets already registered keep the version they were registered with; contract
    dates are re-read in the new time zone.
    """
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
    async with uow:
        cust = await _customer_row(uow.session, customer_id, now=now, lock=True)
        seq = (
            await uow.session.scalar(
                select(func.coalesce(func.max(calendar.c.seq), 0)).where(
                    calendar.c.customer_id == customer_id
                )
            )
            or 0
        ) + 1
        version = f"{customer_id}.{seq}"
        created = (
            await uow.session.execute(
                insert(calendar)
                .values(
                    version=version, customer_id=customer_id, seq=seq, overrides=overrides.to_dict()
                )
                .returning(calendar.c.created_at)
            )
        ).scalar_one()
        timezone = overrides.effective_timezone
        await uow.session.execute(
            update(customer)
            .where(customer.c.id == customer_id)
            .values(calendar_version=version, timezone=timezone, updated_at=func.now())
        )
        if timezone != cust.timezone:
            # The calendar follows the customer: its contract days now begin and end at
            # midnight in the new zone.
            for k in (
                await uow.session.execute(
                    select(contract).where(contract.c.customer_id == customer_id)
                )
            ).all():
                starts_at, ends_at = contract_bounds(k.starts_on, k.ends_on, timezone)
                values: dict[str, Any] = {"starts_at": starts_at, "ends_at": ends_at}
                if ends_at > now:
                    values["expired_at"] = None
                await uow.session.execute(
                    update(contract).where(contract.c.id == k.id).values(**values)
                )
        read = _calendar_read(
            version=version,
            customer_id=customer_id,
            seq=seq,
            overrides=overrides,
            created_at=created,
        )
        await uow.outbox.publish(
            CalendarChanged(
                customer_id=customer_id,
                calendar=read.model_dump(mode="json"),
                calendar_version=version,
                previous_version=cust.calendar_version or DEFAULT_CALENDAR_VERSION,
            ),
            subject=str(customer_id),
        )
        await uow.customer_changed(customer_id)
        await uow.commit()
    return read


# ------------------------------------------------------------------------- releases


def _release_read(row: Any) -> ReleaseRead:
    return ReleaseRead(
        id=row.id,
        product=row.product,
        version=row.version,
        kind=row.kind,
        notes=row.notes,
        customer_ids=list(row.customer_ids),
        published_at=row.published_at,
    )


async def publish_release(
    cmd: ReleaseCreate, uow: EntitlementUnitOfWork, *, now: datetime
) -> ReleaseRead:
    """Record a release or public patch and announce it to the customers it concerns.

    Those are the customers that list the product and have standard or higher support
    now (an active contract, or the warranty): basic gets no update notices.
    """
    product = cmd.product.strip()
    async with uow:
        concerned = list(
            (
                await uow.session.scalars(
                    select(customer.c.id)
                    .where(
                        _lists_product(product),
                        _tier_rank_expr(now) >= CATALOGUE[Tier.standard].rank,
                    )
                    .order_by(customer.c.id)
                )
            ).all()
        )
        release_id = new_id()
        try:
            row = (
                await uow.session.execute(
                    insert(release)
                    .values(
                        id=release_id,
                        product=product,
                        version=cmd.version.strip(),
                        kind=cmd.kind,
                        notes=cmd.notes,
                        customer_ids=concerned,
                        published_at=now,
                    )
                    .returning(release)
                )
            ).one()
        except IntegrityError:
            raise Conflict(
                f"{cmd.kind} {cmd.version} of {product} is already published; "
                "see GET /api/v1/releases?product=...",
                slug="release-exists",
            ) from None
        read = _release_read(row)
        await uow.outbox.publish(
            ReleasePublished(
                release=read.model_dump(mode="json", exclude={"customer_ids"}),
                customer_ids=concerned,
                release_id=release_id,
                product=read.product,
                version=read.version,
                kind=read.kind,
            ),
            subject=str(release_id),
        )
        await uow.commit()
    return read


async def list_releases(
    uow: EntitlementUnitOfWork, *, product: str | None, limit: int, offset: int
) -> list[ReleaseRead]:
    """Return releases, newest first."""
    stmt = select(release)
    if product:
        stmt = stmt.where(func.lower(release.c.product) == product.strip().lower())
    async with uow:
        rows = (
            await uow.session.execute(
                stmt.order_by(release.c.published_at.desc(), release.c.id)
                .limit(limit)
                .offset(offset)
            )
        ).all()
    return [_release_read(r) for r in rows]


async def get_release(release_id: UUID, uow: EntitlementUnitOfWork) -> ReleaseRead:
    """Return one release."""
    async with uow:
        row = (
            await uow.session.execute(select(release).where(release.c.id == release_id))
        ).one_or_none()
    if row is None:
        raise NotFound(
            f"No release {release_id}; list them with GET /api/v1/releases.", slug="unknown-release"
        )
    return _release_read(row)
