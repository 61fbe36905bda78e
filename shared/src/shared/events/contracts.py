"""Events owned by entitlement, on ``support.contracts.v1`` keyed by customer id.

Releases are keyed by release id (they concern many customers). Every payload carries
the resource as the service's HTTP API reads it (``customer``, ``contract`` ...), so a
consumer needs no call back to entitlement.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.events.base import EventData
from shared.events.policy import PolicyDocument
from shared.events.topics import CONTRACTS
from shared.events.vocabulary import Tier


class ContractsEventData(EventData):
    """Fields every entitlement event carries."""

    TOPIC: ClassVar[str] = CONTRACTS

    customer_id: UUID | None = None


class EntitlementState(ContractsEventData):
    """What a customer's entitlement is right after a change (added within v1, optional).

    ``entitlement`` is entitlement's answer for the customer at the event's instant, the
    body of ``GET /api/v1/customers/{id}/entitlement``; it holds until
    ``entitlement_until`` (the next contract start or end, or the end of the warranty: the
    passing of time alone changes the answer then), or until an event with a higher
    ``entitlement_version`` replaces it. The version counts the customer's changes; the
    same number rides on entitlement's change signal (``CHANGE_CHANNEL``), so a reader
    knows whether it has applied a change it was told of. Intake admits tickets from it
    without asking entitlement (services/intake/README.md, "Entitlement read model").
    """

    entitlement: dict[str, Any] | None = None
    entitlement_until: AwareDatetime | None = None
    entitlement_version: int | None = None


# PostgreSQL ``NOTIFY`` channel on which entitlement announces, in the transaction of each
# change that can alter a customer's answer, ``"<customer id> <entitlement_version>"``.
CHANGE_CHANNEL = "entitlement_changed"


def parse_change_signal(payload: str) -> tuple[UUID, int | None]:
    """The customer id and version of a ``CHANGE_CHANNEL`` payload (ValueError if neither)."""
    head, _, tail = payload.partition(" ")
    return UUID(head), int(tail) if tail else None


class CustomerChanged(EntitlementState):
    """A customer was created or its data (warranty, specialists, products) changed."""

    TYPE: ClassVar[str] = "customer.changed"
    change: str  # created | updated
    customer: dict[str, Any]
    # The effective tier right after the change (a warranty change can move it).
    tier: Tier | None = None
    # Added within v1 (optional): the SLA policy a ticket admitted right after the change
    # would carry (the ``policy`` shape of ticket.created), and its version.
    effective_policy: PolicyDocument | None = None
    effective_policy_version: str | None = None


class ContractChanged(EntitlementState):
    """A contract was created, updated, or its end date passed (change="expired").

    A contract signed ahead of its start is announced again when the start comes
    (change="started"), with the effective tier and policy from then on.
    """

    TYPE: ClassVar[str] = "contract.changed"
    change: str  # created | updated | expired | started
    contract: dict[str, Any]
    contract_id: UUID | None = None
    tier: Tier | None = None  # the contract's tier
    # The customer's effective tier right after the change: after an expiry, the tier
    # the customer falls back to (another contract's, standard in warranty, or basic).
    effective_tier: Tier | None = None
    # Added within v1 (optional): the SLA policy a ticket admitted right after the change
    # would carry (the ``policy`` shape of ticket.created), and its version. Intake moves
    # open tickets to it when the effective tier goes up (ticket.tier_changed).
    effective_policy: PolicyDocument | None = None
    effective_policy_version: str | None = None


class ContactChanged(EntitlementState):
    """A contact was named, updated, deactivated or reactivated."""

    TYPE: ClassVar[str] = "contact.changed"
    change: str  # created | updated | deactivated | reactivated
    contact: dict[str, Any]
    contact_id: UUID | None = None


class CalendarChanged(EntitlementState):
    """A customer's business calendar got a new version (tickets keep their old one)."""

    TYPE: ClassVar[str] = "calendar.changed"
    calendar: dict[str, Any]
    calendar_version: str | None = None
    previous_version: str | None = None


class ReleasePublished(ContractsEventData):
    """A release or public patch was published; ``customer_ids`` are those it concerns."""

    TYPE: ClassVar[str] = "release.published"
    release: dict[str, Any]
    customer_ids: list[UUID] = Field(default_factory=list)
    release_id: UUID | None = None
    product: str | None = None
    version: str | None = None
    kind: str | None = None  # release | public_patch
