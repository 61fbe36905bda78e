"""Routes of intake; each parses, calls one use case and maps the result."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request, Response

from intake import service
from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import TicketCreate, TicketRead

router = APIRouter(tags=["tickets"])


def _uow(request: Request) -> IntakeUnitOfWork:
    uow: Any = request.app.state.runtime.uow()
    return uow  # type: ignore[no-any-return]


def _entitlements(request: Request) -> EntitlementClient:
    client: EntitlementClient = request.app.state.runtime.state["entitlements"]
    return client


UowDep = Annotated[IntakeUnitOfWork, Depends(_uow)]
EntitlementsDep = Annotated[EntitlementClient, Depends(_entitlements)]


@router.post("/tickets", status_code=201)
async def create_ticket(
    body: TicketCreate,
    request: Request,
    response: Response,
    uow: UowDep,
    entitlements: EntitlementsDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> TicketRead:
    """Register a ticket from an active contact of a customer."""
    ticket, created = await service.open_ticket(
        body,
        uow=uow,
        entitlements=entitlements,
        registration_prefix=request.app.state.runtime.settings.registration_prefix,
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = f"/api/v1/tickets/{ticket.id}"
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return ticket


@router.get("/tickets/{ticket_id}")
async def get_ticket(ticket_id: UUID, uow: UowDep) -> TicketRead:
    """Read one ticket."""
    return await service.get_ticket(ticket_id, uow)
