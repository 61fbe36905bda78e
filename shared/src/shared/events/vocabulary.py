"""The platform's one vocabulary: the names every service and every event use.

These are names only. Which tier includes which feature, what each target is and
how a severity is capped are rules, and each rule has one owner (``docs/programme.md``
says which module). A name lives here so that intake, entitlement, sla-clock,
escalation and notification spell it the same way, and so that the wire keeps its
JSON: every member's value is the string (or, for support lines, the number) the
events have always carried.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "EXCLUDED_STATUSES",
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "Channel",
    "Feature",
    "Severity",
    "SupportLine",
    "TicketStatus",
    "TicketType",
    "Tier",
]


class Tier(StrEnum):
    """A support tier of the programme, lowest first."""

    basic = "basic"
    standard = "standard"
    extended = "extended"
    business = "business"
    premium = "premium"


class Severity(StrEnum):
    """How badly an incident hurts the customer, most urgent first."""

    critical = "critical"
    high = "high"
    medium = "medium"


class TicketType(StrEnum):
    """What a ticket asks for: a fault fixed, a service performed, or a change made."""

    incident = "incident"
    service_request = "service_request"
    change_request = "change_request"


class TicketStatus(StrEnum):
    """Where a ticket stands in its lifecycle (the table in intake's ``lifecycle``)."""

    new = "new"
    in_progress = "in_progress"
    waiting_customer = "waiting_customer"
    resolved = "resolved"
    closed = "closed"
    rejected_out_of_scope = "rejected_out_of_scope"
    closed_not_reproducible = "closed_not_reproducible"
    closed_not_product_issue = "closed_not_product_issue"


# The status groups, defined once: intake's lifecycle moves tickets between them, and
# sla-clock, escalation and notification read them to know whether a ticket is done.
OPEN_STATUSES: frozenset[TicketStatus] = frozenset(
    {TicketStatus.new, TicketStatus.in_progress, TicketStatus.waiting_customer}
)
"""Someone still works the ticket (a resolved one awaits only the customer's confirmation)."""
EXCLUDED_STATUSES: frozenset[TicketStatus] = frozenset(
    {
        TicketStatus.rejected_out_of_scope,
        TicketStatus.closed_not_reproducible,
        TicketStatus.closed_not_product_issue,
    }
)
"""Closures not counted against the programme (neither met nor breached)."""
FINAL_STATUSES: frozenset[TicketStatus] = frozenset({TicketStatus.closed}) | EXCLUDED_STATUSES
"""No move leaves these: the ticket's clocks stop and nothing escalates it any more."""


class SupportLine(IntEnum):
    """The support line working a ticket.

    An ``IntEnum``, not a ``StrEnum``: lines have always been the numbers 1 to 3 on the
    wire and in the API, and the vocabulary must not change the JSON.
    """

    first = 1
    second = 2
    third = 3


class Channel(StrEnum):
    """How a ticket reached the desk."""

    api = "api"
    web = "web"
    email = "email"
    chat = "chat"
    phone = "phone"


class Feature(StrEnum):
    """A service a tier may include; the names are part of the API.

    Which tier includes which is entitlement's rule (its catalogue), not this list's.
    """

    critical_incidents = "critical_incidents"
    customer_resource_access_monitoring = "customer_resource_access_monitoring"
    scheduled_maintenance = "scheduled_maintenance"
    performance_analysis = "performance_analysis"
    dedicated_engineer = "dedicated_engineer"
    on_site_visit = "on_site_visit"
    dedicated_manager = "dedicated_manager"
    remote_access = "remote_access"
    consulting_additional_functionality = "consulting_additional_functionality"
    consulting_complex_projects = "consulting_complex_projects"
    installation_consulting = "installation_consulting"
    updates_access = "updates_access"
    knowledge_base = "knowledge_base"
    improvement_proposals = "improvement_proposals"
