"""Routes of entitlement; each checks the caller, calls one use case and returns its read model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.api.schemas import (
    MAX_OFFSET,
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
    SaneInstant,
    TierName,
    TierRead,
)
from entitlement.domain.catalogue import Tier
from entitlement.uow import UnitOfWork
from entitlement.usecases import (
    calendars,
    checks,
    contacts,
    contracts,
    customers,
    policies,
    releases,
)
from shared.auth import ANYONE, Principal, Role, require
from shared.clock import Clock
from shared.errors import Unprocessable

router = APIRouter(tags=["entitlement"])

# Who may call what (docs/access-control.md): the catalogue and reading are open to every
# key, a customer-bound key only for its own customer; changing customers, contracts,
# calendars and releases is a manager's; contacts also the customer's own.
Reader = Annotated[Principal, Depends(require(*ANYONE))]
Manager = Annotated[Principal, Depends(require(Role.manager))]


def own(*roles: Role) -> Any:
    """``require(*roles)`` plus the path's ``customer_id`` in the caller's scope (else 404).

    A dependency, so a foreign customer answers 404 before the body is even validated.
    """
    allowed = require(*roles)

    def scoped(customer_id: UUID, who: Principal = Depends(allowed)) -> Principal:
        who.scope(customer_id, what="customer")
        return who

    scoped.allowed_roles = allowed.allowed_roles  # type: ignore[attr-defined]
    return Depends(scoped)


OwnReader = Annotated[Principal, own(*ANYONE)]
OwnManager = Annotated[Principal, own(Role.manager)]
OwnContacts = Annotated[Principal, own(Role.manager, Role.customer, Role.bot)]


async def _uow(request: Request) -> UnitOfWork:
    uow: EntitlementUnitOfWork = request.app.state.runtime.uow()
    return uow


async def _now(request: Request) -> datetime:
    clock: Clock = request.app.state.runtime.clock
    return clock.now()


UowDep = Annotated[UnitOfWork, Depends(_uow)]
NowDep = Annotated[datetime, Depends(_now)]


def _instant(at: datetime | None, now: datetime) -> datetime:
    if at is None:
        return now
    if at.tzinfo is None:
        raise Unprocessable(
            "at must carry a time zone, e.g. 2026-03-01T10:00:00+03:00 or ...Z.",
            slug="validation-error",
        )
    return at.astimezone(UTC)


# ------------------------------------------------------------------------ catalogue


@router.get("/tiers")
async def tiers(_: Reader) -> list[TierRead]:
    """The tier catalogue: priority, features, schedule, targets, obligations."""
    return policies.list_tiers()


@router.get("/policies/{version}")
async def policy(version: str, uow: UowDep, _: Reader) -> PolicyRead:
    """One SLA policy version, exactly as tickets registered with it were given it."""
    return await policies.get_policy(version, uow)


@router.get("/calendars/{version}")
async def calendar(version: str, uow: UowDep, who: Reader) -> CalendarRead:
    """One business-calendar version ("default" is the platform's; a customer's only to it)."""
    found = await calendars.get_calendar(version, uow)
    if found.customer_id is not None:
        who.scope(found.customer_id, what="calendar version")
    return found


# ------------------------------------------------------------------------ customers


@router.post("/customers", status_code=201)
async def create_customer(
    body: CustomerCreate, uow: UowDep, now: NowDep, _: Manager
) -> CustomerRead:
    """Register a customer."""
    return await customers.create_customer(body, uow, now=now)


@router.get("/customers")
async def list_customers(
    uow: UowDep,
    now: NowDep,
    who: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    name: Annotated[str | None, Query(max_length=300, description="Part of the name")] = None,
    tier: Annotated[TierName | None, Query(description="Effective tier now")] = None,
    product: Annotated[str | None, Query(max_length=200)] = None,
) -> CustomerPage:
    """List customers, oldest first, with limit/offset paging and filters."""
    return await customers.list_customers(
        uow,
        now=now,
        limit=limit,
        offset=offset,
        name=name,
        tier=Tier(tier) if tier else None,
        product=product,
        only=who.customer_scope,
    )


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: UUID, uow: UowDep, now: NowDep, _: OwnReader) -> CustomerRead:
    """Read one customer."""
    return await customers.get_customer(customer_id, uow, now=now)


@router.patch("/customers/{customer_id}")
async def update_customer(
    customer_id: UUID, body: CustomerUpdate, uow: UowDep, now: NowDep, _: OwnManager
) -> CustomerRead:
    """Change a customer's name, trained specialists, warranty or products."""
    return await customers.update_customer(customer_id, body, uow, now=now)


@router.get("/customers/{customer_id}/entitlement")
async def customer_entitlement(
    customer_id: UUID,
    uow: UowDep,
    now: NowDep,
    _: OwnReader,
    at: Annotated[
        SaneInstant | None, Query(description="An instant (years 1900-2200); default now")
    ] = None,
) -> EntitlementRead:
    """What the customer is owed now (or at ``at``), and why."""
    return await checks.entitlement_for_customer(customer_id, at=_instant(at, now), uow=uow)


# ------------------------------------------------------------------------ contracts


@router.post("/customers/{customer_id}/contracts", status_code=201)
async def add_contract(
    customer_id: UUID, body: ContractCreate, uow: UowDep, now: NowDep, _: OwnManager
) -> ContractRead:
    """Sign an extended, business or premium contract."""
    return await contracts.add_contract(customer_id, body, uow, now=now)


@router.get("/customers/{customer_id}/contracts")
async def list_contracts(
    customer_id: UUID, uow: UowDep, now: NowDep, _: OwnReader
) -> list[ContractRead]:
    """A customer's contracts, newest start first."""
    return await contracts.list_contracts(customer_id, uow, now=now)


@router.get("/customers/{customer_id}/contracts/{contract_id}")
async def get_contract(
    customer_id: UUID, contract_id: UUID, uow: UowDep, now: NowDep, _: OwnReader
) -> ContractRead:
    """One contract."""
    return await contracts.get_contract(customer_id, contract_id, uow, now=now)


@router.patch("/customers/{customer_id}/contracts/{contract_id}")
async def update_contract(
    customer_id: UUID,
    contract_id: UUID,
    body: ContractUpdate,
    uow: UowDep,
    now: NowDep,
    _: OwnManager,
) -> ContractRead:
    """Extend or shorten a contract, or name its dedicated people."""
    return await contracts.update_contract(customer_id, contract_id, body, uow, now=now)


# ------------------------------------------------------------------------- contacts


@router.post("/customers/{customer_id}/contacts", status_code=201)
async def add_contact(
    customer_id: UUID, body: ContactCreate, uow: UowDep, now: NowDep, _: OwnContacts
) -> ContactRead:
    """Name a contact who may open tickets (at most four active)."""
    return await contacts.add_contact(customer_id, body, uow, now=now)


@router.get("/customers/{customer_id}/contacts")
async def list_contacts(
    customer_id: UUID, uow: UowDep, now: NowDep, _: OwnReader, active: bool | None = None
) -> list[ContactRead]:
    """A customer's contacts; ``?active=true`` for those who may open tickets."""
    return await contacts.list_contacts(customer_id, uow, now=now, active=active)


@router.patch("/customers/{customer_id}/contacts/{contact_id}")
async def update_contact(
    customer_id: UUID,
    contact_id: UUID,
    body: ContactUpdate,
    uow: UowDep,
    now: NowDep,
    _: OwnContacts,
) -> ContactRead:
    """Change a contact; ``{"active": false}`` frees a place."""
    return await contacts.update_contact(customer_id, contact_id, body, uow, now=now)


@router.post("/customers/{customer_id}/contacts/{contact_id}/deactivate")
async def deactivate_contact(
    customer_id: UUID, contact_id: UUID, uow: UowDep, now: NowDep, _: OwnContacts
) -> ContactRead:
    """Deactivate a contact to free a place."""
    return await contacts.update_contact(
        customer_id, contact_id, ContactUpdate(active=False), uow, now=now
    )


# ------------------------------------------------------------------------ calendars


@router.get("/customers/{customer_id}/calendar")
async def customer_calendar(
    customer_id: UUID, uow: UowDep, now: NowDep, _: OwnReader
) -> CalendarRead:
    """The calendar version the customer's new tickets register with."""
    return await calendars.get_customer_calendar(customer_id, uow, now=now)


@router.put("/customers/{customer_id}/calendar")
async def set_customer_calendar(
    customer_id: UUID, body: CalendarIn, uow: UowDep, now: NowDep, _: OwnManager
) -> CalendarRead:
    """Replace the customer's calendar overrides; makes a new version."""
    return await calendars.set_customer_calendar(customer_id, body, uow, now=now)


# ---------------------------------------------------------------------- entitlement


@router.get("/entitlements")
async def entitlement(
    uow: UowDep,
    now: NowDep,
    who: Reader,
    contact_email: Annotated[
        str | None, Query(max_length=320, description="An active contact's email")
    ] = None,
    chat_id: Annotated[
        str | None, Query(max_length=200, description="An active contact's chat id")
    ] = None,
    at: Annotated[
        SaneInstant | None, Query(description="An instant (years 1900-2200); default now")
    ] = None,
) -> EntitlementRead:
    """What the customer of this contact is entitled to now (or at ``at``)."""
    if bool(contact_email) == bool(chat_id):
        raise Unprocessable(
            "Give exactly one of contact_email or chat_id.", slug="validation-error"
        )
    found = await checks.entitlement_for_contact(
        email=contact_email, chat_id=chat_id, at=_instant(at, now), uow=uow
    )
    who.scope(found.customer_id, what="active contact")
    return found


# ------------------------------------------------------------------------- releases


@router.post("/releases", status_code=201)
async def publish_release(body: ReleaseCreate, uow: UowDep, now: NowDep, _: Manager) -> ReleaseRead:
    """Record a release or public patch and announce it to the customers it concerns."""
    return await releases.publish_release(body, uow, now=now)


@router.get("/releases")
async def list_releases(
    uow: UowDep,
    _: Reader,
    product: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[ReleaseRead]:
    """Releases and public patches, newest first."""
    return await releases.list_releases(uow, product=product, limit=limit, offset=offset)


@router.get("/releases/{release_id}")
async def get_release(release_id: UUID, uow: UowDep, _: Reader) -> ReleaseRead:
    """One release."""
    return await releases.get_release(release_id, uow)
