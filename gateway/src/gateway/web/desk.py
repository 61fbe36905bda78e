"""The agents' desk, ``/desk``: the work queue, a ticket's page and the agent's moves.

Every read and every change goes through the ``/api/v1`` routes as the signed-in
staff member (:class:`gateway.web.deps.Api`), so intake's lifecycle and the access
rules apply exactly as for an agent's API key. Which moves a ticket allows now, the
queue's filters and the history's rows are :mod:`gateway.web.desk_view`'s (pure).
The forms post here (Post/Redirect/Get); a refusal re-renders the ticket's page with
the rule in words and the API's own detail (docs/web.md, "Agent workspace").
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
from gateway.web.desk_view import (
    CLOSINGS,
    CORRECTIVE_KINDS,
    LINES,
    OUT_OF_SCOPE_REASONS,
    SEVERITIES,
    TIERS,
    Move,
    QueueFilter,
    allowed_moves,
    escalation_lines,
    history,
    move_call,
    parse_move,
    queue_rows,
)
from gateway.web.desk_words import WORDS
from gateway.web.forms import (
    checked_form,
    optional_json,
    page_router,
    problem_of,
    see_other,
    ticket_id_of,
)
from gateway.web.pages import render
from gateway.web.portal_view import Refusal, deadlines, local_time, refusal, zone
from shared.auth import Role, allowed_roles

i18n.register(WORDS)

_agent = page(Kind.staff, Role.agent)
# Who may open the desk's pages, declared like an API route's role check so the access
# table (docs/access-table.yaml) covers them: staff acting as agents (engineers and
# leads), and managers and admins, whom intake admits to every agent route.
_agent.allowed_roles = allowed_roles([Role.agent])  # type: ignore[attr-defined]
AgentPage = Annotated[Page, Depends(_agent)]

TZ = zone(None)  # the programme's zone: the desk reads Moscow time


def _me(page: Page) -> tuple[str, ...]:
    """The names intake may hold as this member's assignment: staff id, then name."""
    return (page.session.subject, page.session.name)


def _done(request: Request) -> str | None:
    done = request.query_params.get("done", "")
    move = parse_move(done)
    return move.value if move else None


def _stream_since(request: Request) -> str | None:
    """The live stream's position, taken before the page reads the APIs (desk.js resumes
    from it, so an event between those reads and its subscription still refreshes)."""
    hub = getattr(request.app.state, "hub", None)
    return hub.resume_id() if hub is not None else None


# ---------------------------------------------------------------- the queue


async def queue(request: Request, page: AgentPage) -> HTMLResponse:
    """The work queue in the programme's order, filtered by line, tier, severity, assignee."""
    chosen = QueueFilter.from_query(request.query_params)
    since = _stream_since(request)
    params: dict[str, Any] = {"limit": 500}
    assignee = chosen.api_assignee(page.session.subject)
    if assignee:
        params["assignee"] = assignee
    items = await page.api.get_json("queue", **params)
    rows = queue_rows(
        items or [], chosen, me=_me(page), now=datetime.now(UTC), tz=TZ, lang=page.lang
    )
    return render(
        request,
        "desk/queue.html",
        {
            "rows": rows,
            "chosen": chosen,
            "lines": LINES,
            "tiers": TIERS,
            "severities": SEVERITIES,
            "stream_since": since,
        },
        session=page.session,
    )


# ---------------------------------------------------------------- a ticket's page


async def _ticket_data(page: Page, tid: str) -> dict[str, Any]:
    """Everything the ticket's page shows, read in parallel as the staff member."""
    ticket = await page.api.get_json(f"tickets/{tid}")  # the 404 page if there is none
    subject = str(ticket.get("subject", ""))[:200]
    sla, comments, articles = await asyncio.gather(
        optional_json(page, f"tickets/{tid}/sla"),
        page.api.get_json(f"tickets/{tid}/comments"),
        optional_json(page, "kb/articles", q=subject, match="any", limit=5),
    )
    return {"ticket": ticket, "sla": sla, "comments": comments or [], "articles": articles}


def ticket_context(
    data: Mapping[str, Any], *, lang: str, now: datetime, me: tuple[str, ...]
) -> dict[str, Any]:
    """The ticket page's view model from what the API answered."""
    ticket = data["ticket"]
    sla = data.get("sla") or {}
    timers = sla.get("timers")
    comments = sorted(data.get("comments") or [], key=lambda c: str(c.get("created_at", "")))
    return {
        "ticket": ticket,
        "received": local_time(ticket.get("received_at"), TZ, lang),
        "deadlines": deadlines(timers, now=now, tz=TZ, lang=lang) if timers else None,
        "history": history(sla.get("events") or [], tz=TZ, lang=lang),
        "comments": [{**c, "when": local_time(c.get("created_at"), TZ, lang)} for c in comments],
        "articles": data.get("articles") if isinstance(data.get("articles"), list) else [],
        "moves": [m.value for m in allowed_moves(ticket, me=me)],
        "closings": [m.value for m in CLOSINGS],
        "lines": escalation_lines(ticket),
        "kinds": CORRECTIVE_KINDS,
        "reasons": OUT_OF_SCOPE_REASONS,
    }


async def _ticket_page(
    request: Request,
    page: Page,
    tid: str,
    *,
    refused: Refusal | None = None,
    values: Mapping[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    since = _stream_since(request)
    data = await _ticket_data(page, tid)
    context = ticket_context(data, lang=page.lang, now=datetime.now(UTC), me=_me(page))
    context.update(done=_done(request), refused=refused, values=values or {}, stream_since=since)
    return render(request, "desk/ticket.html", context, session=page.session, status=status)


async def ticket_page(request: Request, page: AgentPage, ticket_id: str) -> HTMLResponse:
    """One ticket: deadlines counting down, history, comments, the moves allowed now."""
    return await _ticket_page(request, page, ticket_id_of(ticket_id))


# ---------------------------------------------------------------- a move


async def ticket_move(request: Request, page: AgentPage, ticket_id: str, move: str) -> Response:
    """An agent's move; a refusal re-renders the ticket's page with why (never a 500)."""
    tid = ticket_id_of(ticket_id)
    chosen = parse_move(move)
    if chosen is None:
        raise PageError(404)
    fields = await checked_form(request, page)
    ticket = await page.api.get_json(f"tickets/{tid}")
    call = move_call(chosen, ticket, fields, me=page.session.subject)
    answer = await page.api.call("POST", call.path, json=call.body)
    if answer.status_code == 404:
        raise PageError(404)
    if answer.status_code >= 400:
        shown = refusal(problem_of(answer), i18n.words(page.lang), prefix="desk.refusal.")
        values = {k: v for k, v in fields.items() if k != CSRF_FIELD}
        values["move"] = chosen.value
        return await _ticket_page(
            request, page, tid, refused=shown, values=values, status=answer.status_code
        )
    return see_other(f"/desk/tickets/{tid}?done={chosen.value}#notice")


def router() -> APIRouter:
    """The desk's pages (the sign-in pages are :mod:`gateway.web.signin`'s)."""
    return page_router(
        [
            ("/desk", queue, "GET"),
            ("/desk/tickets/{ticket_id}", ticket_page, "GET"),
            ("/desk/tickets/{ticket_id}/{move}", ticket_move, "POST"),
        ]
    )


__all__ = ["Move", "router"]
