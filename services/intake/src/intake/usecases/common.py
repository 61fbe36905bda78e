"""What several use cases share: loading a ticket within the caller's scope, the contact check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol
from uuid import UUID

from intake.domain.actors import Actor, ActorKind
from intake.domain.admission import OpenTicketRef, Terms
from intake.domain.ticket import Ticket
from intake.uow import AdmissionUnitOfWork, UnitOfWork
from shared.errors import Forbidden, NotFound
from shared.events.vocabulary import Severity, Tier


class CustomerTerms(Terms, Protocol):
    """A customer's terms with the contract's alert severity mapping (monitoring alerts)."""

    @property
    def alert_severity_map(self) -> dict[str, Severity] | None: ...
    @property
    def alert_severity_label(self) -> str | None: ...


class Entitlements(Protocol):
    """Entitlement's answers (``adapters.entitlement.EntitlementClient``)."""

    async def for_contact(
        self, *, email: str | None = None, chat_id: str | None = None
    ) -> Terms: ...
    async def tiers_with(self, feature: str) -> Sequence[Tier]: ...
    async def for_customer(self, customer_id: UUID) -> CustomerTerms: ...


def no_ticket(ticket_id: UUID) -> NotFound:
    """The 404 for a ticket that does not exist or that the caller may not see."""
    return NotFound(
        f"No ticket {ticket_id}; list tickets with GET /api/v1/tickets.", slug="no-ticket"
    )


async def customer_of(uow: UnitOfWork, ticket_id: UUID, scope: UUID | None = None) -> UUID:
    """The ticket's customer; NotFound if it does not exist or the caller may not see it."""
    async with uow:
        customer_id = await uow.tickets.customer_of(ticket_id)
    if customer_id is None or (scope is not None and customer_id != scope):
        raise no_ticket(ticket_id)
    return customer_id


async def locked(uow: UnitOfWork, ticket_id: UUID) -> Ticket:
    """The ticket, locked for the rest of the transaction; NotFound if there is none."""
    found = await uow.tickets.get(ticket_id, for_update=True)
    if found is None:
        raise no_ticket(ticket_id)
    return found


async def verify_contact(
    actor: Actor, *, customer_id: UUID, entitlements: Entitlements
) -> Terms | None:
    """A customer actor must be an active contact of the ticket's customer."""
    if actor.kind != ActorKind.customer:
        return None
    terms = await entitlements.for_contact(email=actor.contact_email)
    if terms.customer_id != customer_id:
        raise Forbidden(
            f"{actor.contact_email} is not a contact of this ticket's customer; only the "
            "customer's own contacts may act on its tickets.",
            slug="not-customers-contact",
        )
    return terms


async def change_locked(
    uow: UnitOfWork, ticket_id: UUID, change: Callable[[Ticket], object]
) -> Ticket:
    """Lock the ticket, apply ``change`` (a Ticket method's rules), store it and commit."""
    async with uow:
        ticket = await locked(uow, ticket_id)
        change(ticket)
        await uow.tickets.save(ticket)
        await uow.commit()
    return ticket


async def open_if_limited(uow: AdmissionUnitOfWork, terms: Terms) -> Sequence[OpenTicketRef]:
    """The customer's open tickets, read only when its tier limits them.

    An unlimited customer (premium) may have thousands open; reading them all for a
    check that cannot refuse made every admission slower than the one before.
    """
    if terms.max_open_tickets is None:
        return ()
    return await uow.tickets.open_of(terms.customer_id)
