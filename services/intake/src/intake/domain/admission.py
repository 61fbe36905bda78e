"""Admission rules that need no I/O: who may open what, and the ticket a request becomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from intake.domain import change_request as cr
from intake.domain.commands import OpenTicket
from intake.domain.model import registration_number
from intake.domain.ticket import Ticket, served_severity
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.policy import PolicyDocument
from shared.events.tickets import TicketCreated
from shared.events.vocabulary import TicketStatus, TicketType, Tier


class Terms(Protocol):
    """What entitlement answered for the contact (``adapters.entitlement.Entitlement``)."""

    @property
    def customer_id(self) -> UUID: ...
    @property
    def contact_id(self) -> UUID | None: ...
    @property
    def tier(self) -> Tier: ...
    @property
    def priority(self) -> int: ...
    @property
    def features(self) -> dict[str, bool]: ...
    @property
    def policy(self) -> PolicyDocument | None: ...
    @property
    def policy_version(self) -> str: ...
    @property
    def calendar_version(self) -> str | None: ...
    @property
    def max_open_tickets(self) -> int | None: ...


@dataclass(frozen=True)
class OpenTicketRef:
    """A ticket counting against the open-ticket limit."""

    id: UUID
    registration_number: str


def check_scope(terms: Terms, scope: UUID | None) -> None:
    """A key bound to a customer opens tickets only for that customer's contacts."""
    if scope is not None and terms.customer_id != scope:
        raise Forbidden(
            "This API key is bound to another customer than the contact's; use the contact's "
            "own customer key.",
            slug="not-customers-contact",
        )


def check_feature(cmd: OpenTicket, terms: Terms, tiers_with_it: Sequence[Tier]) -> None:
    """A service request for a feature the tier lacks is refused, naming the tiers with it."""
    feature = cmd.requested_feature
    if feature is None or terms.features.get(str(feature), False):
        return
    tiers = [str(t) for t in tiers_with_it]
    raise Forbidden(
        f"The {terms.tier} tier does not include {feature}; it comes with the "
        f"{', '.join(tiers)} tier(s). Ask for a contract on one of them, or open the request "
        "without requested_feature.",
        slug="feature-not-in-tier",
        feature=str(feature),
        tier=terms.tier,
        tiers=tiers,
    )


def needs_customer_lock(terms: Terms) -> bool:
    """Whether admitting under ``terms`` must wait for the customer's other admissions.

    Two things need the per-customer lock: an open-ticket limit (two admissions at once
    would both see room) and a tier change that could still move the new ticket up
    (``raise_open_tickets`` must see it or run after it). A tier with no limit at
    entitlement's highest priority (1) has neither, so its tickets are admitted in parallel.
    """
    return terms.max_open_tickets is not None or terms.priority > 1


def check_open_limit(
    terms: Terms, open_tickets: Sequence[OpenTicketRef], *, advice: str, doing: str = ""
) -> None:
    """409 naming the open tickets if the tier's limit is reached."""
    limit = terms.max_open_tickets
    if limit is None or len(open_tickets) < limit:
        return
    numbers = ", ".join(t.registration_number for t in open_tickets)
    raise Conflict(
        f"The {terms.tier} tier allows {limit} open ticket(s) at once and {numbers} is "
        f"open{doing}; {advice}",
        slug="open-ticket-limit",
        open_tickets=[str(t.id) for t in open_tickets],
        open_registration_numbers=[t.registration_number for t in open_tickets],
        limit=limit,
    )


def check_replay(existing: Ticket, cmd: OpenTicket) -> None:
    """The same Idempotency-Key must carry the same request."""
    if existing.idempotency_fingerprint != cmd.fingerprint:
        raise Unprocessable(
            f"Idempotency-Key {cmd.idempotency_key!r} was used for a different ticket "
            f"({existing.registration_number}); send a new key for a new request.",
            slug="idempotency-key-reused",
            ticket=str(existing.id),
        )


def admit(
    cmd: OpenTicket,
    *,
    terms: Terms,
    ticket_id: UUID,
    number: str,
    now: datetime,
    origin: dict[str, str] | None = None,
) -> Ticket:
    """The ticket a request becomes, with ``ticket.created`` recorded.

    The severity cap is decided here, once, by the policy the ticket is admitted under;
    ``origin`` (``source_message_id``, ``chat_id``) rides on the event so replies to a
    ticket born from an email or a chat message thread to that message.
    """
    severity, capped = served_severity(terms.policy, terms.tier, cmd.severity)
    ticket = Ticket(
        id=ticket_id,
        registration_number=number,
        customer_id=terms.customer_id,
        contact_id=terms.contact_id,
        contact_email=cmd.contact_email or None,
        type=cmd.type,
        severity=severity,
        requested_severity=cmd.severity,
        severity_capped=capped,
        tier=terms.tier,
        tier_priority=terms.priority,
        policy_version=terms.policy_version,
        calendar_version=terms.calendar_version,
        policy=terms.policy,
        features=terms.features,
        channel=cmd.channel,
        entered_by=cmd.entered_by,
        subject=cmd.subject,
        description=cmd.description,
        product=cmd.product,
        product_version=cmd.product_version,
        requested_feature=cmd.requested_feature,
        subtype=cmd.subtype,
        attachments=list(cmd.attachments),
        status=TicketStatus.new,
        received_at=now,
        cr_status=cr.CrStatus.submitted if cmd.type == TicketType.change_request else None,
        idempotency_key=cmd.idempotency_key,
        idempotency_fingerprint=cmd.fingerprint if cmd.idempotency_key else None,
    )
    # ticket.created is the ticket's first event: sequence 1, the version it starts at.
    ticket.events.append(_created(ticket, now=now, origin=origin))
    return ticket


def _created(ticket: Ticket, *, now: datetime, origin: dict[str, str] | None) -> TicketCreated:
    return TicketCreated(
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        status=ticket.status,
        occurred_at=now,
        registration_number=ticket.registration_number,
        type=ticket.type,
        severity=ticket.severity,
        tier=ticket.tier,
        channel=ticket.channel,
        subject=ticket.subject,
        contact_id=ticket.contact_id,
        contact_email=ticket.contact_email,
        received_at=now,
        severity_capped=ticket.severity_capped,
        policy_version=ticket.policy_version,
        policy=ticket.policy,
        calendar_version=ticket.calendar_version,
        product=ticket.product,
        product_version=ticket.product_version,
        tier_priority=ticket.tier_priority,
        entered_by=ticket.entered_by,
        requested_feature=ticket.requested_feature,
        description=ticket.description,
        **(origin or {}),
    )


def format_number(prefix: str, now: datetime, sequence: int) -> str:
    """The registration number of the ``sequence``-th ticket (``TP-2026-000123``)."""
    return registration_number(prefix, now.year, sequence)
