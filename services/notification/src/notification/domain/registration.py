"""The registration email's rule: it waits for the ticket's deadlines and its contact.

``ticket.created`` (support.tickets.v1), the first deadlines (``sla.timer.scheduled``,
support.sla.v1) and the contact (``contact.changed``, support.contracts.v1) come on
three topics, in any order. The email is planned at ``ticket.created`` and held until
both first deadlines and the contact are known, then it goes at once; a bounded wait
(``registration_wait_seconds``) lets it go anyway, with "—" for an unknown deadline
and the default language for an unknown contact. What it shows is read when it is
rendered, so a fact that arrived after planning is not missed.

The consumer's use cases (``usecases.planning``) ask :func:`due` when planning and
:func:`ready` when a deadline or the contact arrives; the worker asks
:func:`render_facts` when it renders. Nothing else decides about this email.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from notification.domain.planning import ContactFacts, TicketFacts

TEMPLATE = "ticket_registered"


def deadlines_known(ticket: TicketFacts) -> bool:
    """Both first deadlines (response and resolution) are known."""
    return ticket.response_due is not None and ticket.resolution_due is not None


def contact_known(ticket: TicketFacts, contact: ContactFacts | None) -> bool:
    """The ticket's contact (its name and language) is known, or it has none to wait for."""
    return contact is not None or ticket.contact_id is None


def ready(ticket: TicketFacts, contact: ContactFacts | None) -> bool:
    """Everything the email shows is known: it may go now."""
    return deadlines_known(ticket) and contact_known(ticket, contact)


def due(
    ticket: TicketFacts, contact: ContactFacts | None, *, now: datetime, wait: timedelta
) -> datetime:
    """When the email planned at ``ticket.created`` goes: now if ready, else after the wait."""
    return now if ready(ticket, contact) else now + wait


def render_facts(
    template: str,
    context: dict[str, Any],
    language: str,
    *,
    ticket: TicketFacts | None,
    contact: ContactFacts | None,
) -> tuple[dict[str, Any], str]:
    """The context and language to render with, from the facts known at sending.

    A registration shows the deadlines as they are now; any email to a contact greets
    them by their current name, in their current language.
    """
    context = dict(context)
    if template == TEMPLATE and ticket is not None:
        context["response_due"] = _iso(ticket.response_due)
        context["resolution_due"] = _iso(ticket.resolution_due)
    if contact is not None:
        context["name"], language = contact.name, contact.language
    return context, language


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
