"""The customer portal, ``/portal``: a contact's tickets, a new ticket, a ticket's page.

Every read and every change goes through the ``/api/v1`` routes as the signed-in
contact (:class:`gateway.web.deps.Api`), so the programme's rules and the access
rules apply exactly as for an API key: the contact limit, one open ticket for
basic and standard, severity caps, trained specialists, and another customer's
ticket answering 404. The forms post here (Post/Redirect/Get); a refusal re-renders
the page with the rule in words and the API's own detail (docs/web.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.sessions import CSRF_FIELD, Kind
from gateway.web import i18n
from gateway.web.deps import Page, PageError, page
from gateway.web.forms import (
    checked_form,
    optional_json,
    page_router,
    problem_of,
    see_other,
    ticket_id_of,
)
from gateway.web.pages import render
from gateway.web.portal_view import (
    NextStep,
    Refusal,
    deadlines,
    is_open,
    local_time,
    next_step,
    public_comments,
    refusal,
    zone,
)
from gateway.web.portal_words import WORDS
from shared.auth import Role

i18n.register(WORDS)

_contact = page(Kind.contact)
# Who may open the portal's pages, declared like an API route's role check so the access
# table (docs/access-table.yaml) covers them: a customer's contact, in their own company.
_contact.allowed_roles = frozenset({Role.customer})  # type: ignore[attr-defined]
ContactPage = Annotated[Page, Depends(_contact)]

SEVERITIES = ("medium", "high", "critical")
TYPES = ("incident", "service_request", "change_request")
DONE = {
    "created",
    "comment_added",
    "answered",
    "confirmed",
    "reopened",
    "approved",
    "declined",
    "uploaded",
}
"""The notices a redirect may ask the next page to show (``?done=``); anything else is ignored."""


# ---------------------------------------------------------------- helpers


async def _zone_name(page: Page) -> str | None:
    """The customer's time zone, if its record names one."""
    customer = page.principal.customer_id
    if customer is None:
        return None
    found = await optional_json(page, f"customers/{customer}")
    return found.get("timezone") if isinstance(found, dict) else None


def _done(request: Request) -> str | None:
    done = request.query_params.get("done")
    return done if done in DONE else None


# ---------------------------------------------------------------- the list


def _row(ticket: Mapping[str, Any], *, now: datetime, tz: Any, lang: str) -> dict[str, Any]:
    sla = ticket.get("sla") or {}
    step = next_step(ticket) if is_open(ticket) else None
    return {
        "id": ticket["id"],
        "number": ticket["registration_number"],
        "subject": ticket["subject"],
        "status": ticket["status"],
        "severity": ticket["severity"],
        "received": local_time(ticket.get("received_at"), tz, lang),
        "deadlines": deadlines(sla.get("timers") or [], now=now, tz=tz, lang=lang),
        "step": step.value if step else "done",
        "needs_you": step is not None and step is not NextStep.nothing,
    }


async def ticket_list(request: Request, page: ContactPage) -> HTMLResponse:
    """The contact's customer's tickets, newest first: status, deadlines, the next step."""
    found, zone_name = await asyncio.gather(
        page.api.get_json("tickets", limit=100), _zone_name(page)
    )
    tz = zone(zone_name)
    now = datetime.now(UTC)
    rows = [_row(t, now=now, tz=tz, lang=page.lang) for t in found.get("items", [])]
    return render(
        request,
        "portal/list.html",
        {"rows": rows, "zone": str(tz), "done": _done(request)},
        session=page.session,
    )


# ---------------------------------------------------------------- a new ticket


def _new_form(
    request: Request,
    page: Page,
    values: Mapping[str, str],
    refused: Refusal | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "portal/new.html",
        {
            "values": values,
            "refused": refused,
            "severities": SEVERITIES,
            "types": TYPES,
        },
        session=page.session,
        status=status,
    )


async def new_ticket_form(request: Request, page: ContactPage) -> HTMLResponse:
    """The form: type, severity with the programme's descriptions, product, description."""
    return _new_form(request, page, {"type": "incident", "severity": "medium"})


def ticket_body(fields: Mapping[str, str], contact_email: str) -> dict[str, Any]:
    """The ``POST /api/v1/tickets`` body from the form (channel ``web``: the vendor's site).

    Blank optional fields are left out, so intake's own defaults and validation
    decide (a missing subject is intake's 422 naming the field, shown by the field).
    """
    body: dict[str, Any] = {
        "contact_email": contact_email,
        "channel": "web",
        "subject": fields.get("subject", "").strip(),
        "description": fields.get("description", ""),
    }
    for name in ("type", "severity", "product"):
        value = fields.get(name, "").strip()
        if value:
            body[name] = value
    return body


async def create_ticket(request: Request, page: ContactPage) -> Response:
    """Open the ticket as the contact; then the ticket's page (or the form with the refusal)."""
    fields = await checked_form(request, page)
    answer = await page.api.call("POST", "tickets", json=ticket_body(fields, page.session.subject))
    if answer.status_code >= 400:
        shown = refusal(problem_of(answer), i18n.words(page.lang))
        values = {k: v for k, v in fields.items() if k != CSRF_FIELD}
        return _new_form(request, page, values, shown, status=answer.status_code)
    created = answer.json()
    return see_other(f"/portal/tickets/{created['id']}?done=created")


# ---------------------------------------------------------------- a ticket's page


async def _ticket_data(page: Page, ticket_id: str) -> dict[str, Any]:
    """Everything the ticket's page shows, read in parallel as the contact."""
    ticket = await page.api.get_json(f"tickets/{ticket_id}")  # 404 page if not theirs
    subject = str(ticket.get("subject", ""))[:200]
    sla, comments, articles, attachments, change, zone_name = await asyncio.gather(
        optional_json(page, f"tickets/{ticket_id}/sla"),
        page.api.get_json(f"tickets/{ticket_id}/comments"),
        optional_json(page, "kb/articles", q=subject, match="any", limit=5),
        optional_json(page, f"tickets/{ticket_id}/attachments"),
        optional_json(page, f"change-requests/{ticket_id}")
        if ticket.get("type") == "change_request"
        else asyncio.sleep(0, None),
        _zone_name(page),
    )
    return {
        "ticket": ticket,
        "sla": sla,
        "comments": comments or [],
        "articles": articles or [],
        "attachments": attachments if isinstance(attachments, list) else [],
        "change": change,
        "zone": zone_name,
    }


def ticket_context(data: Mapping[str, Any], *, lang: str, now: datetime) -> dict[str, Any]:
    """The ticket page's view model from what the API answered."""
    tz = zone(data.get("zone"))
    ticket = data["ticket"]
    timers = (data.get("sla") or {}).get("timers")
    step = next_step(ticket) if is_open(ticket) else None
    comments = [
        {**c, "when": local_time(c.get("created_at"), tz, lang)}
        for c in public_comments(data.get("comments") or [])
    ]
    change = data.get("change") or {}
    return {
        "ticket": ticket,
        "received": local_time(ticket.get("received_at"), tz, lang),
        "deadlines": deadlines(timers, now=now, tz=tz, lang=lang) if timers else None,
        "step": step.value if step else "done",
        "comments": comments,
        "articles": data.get("articles") or [],
        "attachments": data.get("attachments") or [],
        "estimate": change.get("details") if step is NextStep.approve else None,
        "zone": str(tz),
        "can_comment": is_open(ticket),
    }


async def _ticket_page(
    request: Request,
    page: Page,
    ticket_id: str,
    *,
    refused: Refusal | None = None,
    values: Mapping[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    data = await _ticket_data(page, ticket_id)
    context = ticket_context(data, lang=page.lang, now=datetime.now(UTC))
    context.update(done=_done(request), refused=refused, values=values or {})
    return render(request, "portal/ticket.html", context, session=page.session, status=status)


async def ticket_page(request: Request, page: ContactPage, ticket_id: str) -> HTMLResponse:
    """One ticket: status, deadlines, public comments, the contact's moves, articles, files."""
    return await _ticket_page(request, page, ticket_id_of(ticket_id))


# ---------------------------------------------------------------- a ticket's moves


def _customer(page: Page) -> dict[str, str]:
    """The ``actor`` of a contact's move: the signed-in contact, never anyone else."""
    return {"kind": "customer", "contact_email": page.session.subject}


def move_call(action: str, fields: Mapping[str, str], actor: dict[str, str]) -> tuple[str, Any]:
    """The API path (below the ticket) and body of one of the contact's moves."""
    text = fields.get("body", "").strip()
    if action == "comment":
        return "comments", {"body": text, "public": True, "actor": actor}
    if action in ("confirm", "reopen"):
        body: dict[str, Any] = {"action": action, "actor": actor}
        if text:
            body["reason"] = text
        return "transitions", body
    if action in ("approve", "decline"):
        step: dict[str, Any] = {"step": action, "actor": actor}
        if text:
            step["comment"] = text
        return "steps", step
    raise PageError(404)


async def ticket_move(request: Request, page: ContactPage, ticket_id: str, action: str) -> Response:
    """A contact's move on a ticket: comment (answering resumes a waiting ticket), confirm,
    reopen, approve or decline an estimate; refused moves re-render the page with why."""
    tid = ticket_id_of(ticket_id)
    fields = await checked_form(request, page)
    where, body = move_call(action, fields, _customer(page))
    path = f"change-requests/{tid}/steps" if where == "steps" else f"tickets/{tid}/{where}"
    before = await page.api.get_json(f"tickets/{tid}")  # 404 page if not theirs
    answer = await page.api.call("POST", path, json=body)
    if answer.status_code == 404:
        raise PageError(404)
    if answer.status_code >= 400:
        shown = refusal(problem_of(answer), i18n.words(page.lang))
        values = {"action": action, "body": fields.get("body", "")}
        return await _ticket_page(
            request, page, tid, refused=shown, values=values, status=answer.status_code
        )
    return see_other(f"/portal/tickets/{tid}?done={_done_word(action, before)}#notice")


def _done_word(action: str, before: Mapping[str, Any]) -> str:
    if action == "comment":
        return "answered" if before.get("status") == "waiting_customer" else "comment_added"
    return {
        "confirm": "confirmed",
        "reopen": "reopened",
        "approve": "approved",
        "decline": "declined",
    }[action]


def router() -> APIRouter:
    """The portal's pages (the sign-in pages are :mod:`gateway.web`'s own)."""
    return page_router(
        [
            ("/portal", ticket_list, "GET"),
            ("/portal/tickets/new", new_ticket_form, "GET"),
            ("/portal/tickets/new", create_ticket, "POST"),
            ("/portal/tickets/{ticket_id}", ticket_page, "GET"),
            ("/portal/tickets/{ticket_id}/{action}", ticket_move, "POST"),
        ]
    )
