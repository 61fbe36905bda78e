"""Use cases of intake."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, text

from shared.errors import Conflict, NotFound
from shared.events.base import new_id
from shared.events.tickets import TicketCreated

from intake.adapters.entitlement import EntitlementClient
from intake.adapters.orm import ticket
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import TicketCreate, TicketRead
from intake.domain.model import OPEN_STATUSES, Status, admitted_severity, registration_number


def ticket_read(row: Any) -> TicketRead:
    """Map a ticket row to its HTTP representation."""
    return TicketRead.model_validate(row, from_attributes=True)


async def open_ticket(
    cmd: TicketCreate,
    *,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    registration_prefix: str,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> tuple[TicketRead, bool]:
    """Admit a ticket from an active contact; return it and whether it was created now."""
    received_at = now or datetime.now(UTC)
    entitlement = await entitlements.for_contact(email=cmd.contact_email)
    severity, capped = admitted_severity(entitlement.tier, cmd.severity)
    async with uow:
        # One admission per customer at a time, so the open-ticket limit holds under races.
        await uow.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
            {"k": f"intake.admission.{entitlement.customer_id}"},
        )
        if idempotency_key:
            existing = (
                await uow.session.execute(
                    select(ticket).where(
                        ticket.c.customer_id == entitlement.customer_id,
                        ticket.c.idempotency_key == idempotency_key,
                    )
                )
            ).one_or_none()
            if existing is not None:
                return ticket_read(existing), False
        if entitlement.max_open_tickets is not None:
            open_rows = (
                await uow.session.execute(
                    select(ticket.c.id, ticket.c.registration_number)
                    .where(
                        ticket.c.customer_id == entitlement.customer_id,
                        ticket.c.status.in_([str(s) for s in OPEN_STATUSES]),
                    )
                    .order_by(ticket.c.received_at)
                )
            ).all()
            if len(open_rows) >= entitlement.max_open_tickets:
                numbers = ", ".join(r.registration_number for r in open_rows)
                raise Conflict(
                    f"The {entitlement.tier} tier allows {entitlement.max_open_tickets} open "
                    f"ticket(s) at once and {numbers} is open; wait until it is resolved or "
                    "add to it.",
                    slug="open-ticket-limit",
                    open_tickets=[str(r.id) for r in open_rows],
                )
        number = await uow.session.scalar(
            text(f'SELECT nextval(\'"{uow.schema}".registration_number_seq\')')
        )
        ticket_id = new_id()
        row = (
            await uow.session.execute(
                insert(ticket)
                .values(
                    id=ticket_id,
                    registration_number=registration_number(
                        registration_prefix, received_at.year, int(number or 0)
                    ),
                    customer_id=entitlement.customer_id,
                    contact_id=entitlement.contact_id,
                    contact_email=cmd.contact_email,
                    type=cmd.type,
                    severity=severity,
                    requested_severity=cmd.severity,
                    severity_capped=capped,
                    tier=entitlement.tier,
                    policy_version=entitlement.policy_version,
                    channel=cmd.channel,
                    subject=cmd.subject,
                    description=cmd.description,
                    product=cmd.product,
                    product_version=cmd.product_version,
                    status=Status.new,
                    received_at=received_at,
                    idempotency_key=idempotency_key,
                )
                .returning(ticket)
            )
        ).one()
        read = ticket_read(row)
        await uow.outbox.publish(
            TicketCreated(
                ticket_id=ticket_id,
                customer_id=read.customer_id,
                status=read.status,
                occurred_at=received_at,
                registration_number=read.registration_number,
                type=read.type,
                severity=read.severity,
                tier=read.tier,
                channel=read.channel,
                subject=read.subject,
                contact_id=read.contact_id,
                contact_email=read.contact_email,
                received_at=received_at,
                severity_capped=capped,
                policy_version=read.policy_version,
                policy=entitlement.policy,
                calendar_version=entitlement.calendar_version,
                product=read.product,
            ),
            subject=str(ticket_id),
            sequence=1,
        )
        await uow.commit()
    return read, True


async def get_ticket(ticket_id: UUID, uow: IntakeUnitOfWork) -> TicketRead:
    """Return one ticket or raise NotFound."""
    async with uow:
        row = (await uow.session.execute(select(ticket).where(ticket.c.id == ticket_id))).one_or_none()
    if row is None:
        raise NotFound(f"No ticket {ticket_id}.")
    return ticket_read(row)


async def count_tickets(uow: IntakeUnitOfWork) -> int:
    """How many tickets exist (for health and benchmarks)."""
    async with uow:
        return int(await uow.session.scalar(select(func.count()).select_from(ticket)) or 0)
