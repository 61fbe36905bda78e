"""Routes of entitlement; each parses, calls one use case and maps the result."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from shared.errors import Unprocessable

from entitlement import service
from entitlement.adapters.uow import EntitlementUnitOfWork
from entitlement.api.schemas import (
    ContactCreate,
    ContactRead,
    CustomerCreate,
    CustomerRead,
    EntitlementRead,
)

router = APIRouter(tags=["entitlement"])


def _uow(request: Request) -> EntitlementUnitOfWork:
    uow: Any = request.app.state.runtime.uow()
    return uow  # type: ignore[no-any-return]


UowDep = Annotated[EntitlementUnitOfWork, Depends(_uow)]


@router.post("/customers", status_code=201)
async def create_customer(body: CustomerCreate, uow: UowDep) -> CustomerRead:
    """Register a customer."""
    return await service.create_customer(body, uow)


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: UUID, uow: UowDep) -> CustomerRead:
    """Read one customer."""
    return await service.get_customer(customer_id, uow)


@router.post("/customers/{customer_id}/contacts", status_code=201)
async def add_contact(customer_id: UUID, body: ContactCreate, uow: UowDep) -> ContactRead:
    """Name a contact who may open tickets (at most four active)."""
    return await service.add_contact(customer_id, body, uow)


@router.post("/customers/{customer_id}/contacts/{contact_id}/deactivate")
async def deactivate_contact(customer_id: UUID, contact_id: UUID, uow: UowDep) -> ContactRead:
    """Deactivate a contact to free a place."""
    return await service.deactivate_contact(customer_id, contact_id, uow)


@router.get("/entitlements")
async def entitlement(
    uow: UowDep,
    contact_email: str | None = Query(default=None, description="An active contact's email"),
    chat_id: str | None = Query(default=None, description="An active contact's chat id"),
) -> EntitlementRead:
    """What the customer of this contact is entitled to now."""
    if bool(contact_email) == bool(chat_id):
        raise Unprocessable(
            "Give exactly one of contact_email or chat_id.", slug="validation-error"
        )
    return await service.entitlement_for_contact(email=contact_email, chat_id=chat_id, uow=uow)
