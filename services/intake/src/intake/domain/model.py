"""The ticket's vocabulary and the admission rules that need no I/O."""

from enum import StrEnum


class TicketType(StrEnum):
    incident = "incident"
    service_request = "service_request"
    change_request = "change_request"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"


class Channel(StrEnum):
    api = "api"
    web = "web"
    email = "email"
    chat = "chat"
    phone = "phone"


class Status(StrEnum):
    new = "new"
    in_progress = "in_progress"
    waiting_customer = "waiting_customer"
    resolved = "resolved"
    closed = "closed"
    rejected_out_of_scope = "rejected_out_of_scope"
    closed_not_reproducible = "closed_not_reproducible"
    closed_not_product_issue = "closed_not_product_issue"


# Tickets that count against a tier's open-ticket limit.
OPEN_STATUSES = frozenset({Status.new, Status.in_progress, Status.waiting_customer})


def admitted_severity(tier: str, requested: Severity) -> tuple[Severity, bool]:
    """Basic has no critical/high service: cap at medium and say so (rules, section 3)."""
    if tier == "basic" and requested in (Severity.critical, Severity.high):
        return Severity.medium, True
    return requested, False


def registration_number(prefix: str, year: int, number: int) -> str:
    """Human-readable, unique, gap-tolerant: ``TP-2026-000123``."""
    return f"{prefix}-{year}-{number:06d}"
