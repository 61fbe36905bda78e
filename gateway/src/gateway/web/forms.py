"""What the portal's and the desk's page handlers share: a checked form, a ticket id
from the path, an API answer's problem, an optional read, the redirect after a post,
and a service outage shown as the 503 page rather than a 500."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from gateway.sessions import CSRF_FIELD, csrf_matches
from gateway.web import i18n
from gateway.web.deps import ApiError, Page, PageError


def unavailable_as_page(
    handler: Callable[..., Awaitable[Response]],
) -> Callable[..., Awaitable[Response]]:
    """A service that cannot be reached, or answers a read with an error other than 404,
    is the error page saying so (503, or the service's status and words), never a 500."""

    @functools.wraps(handler)
    async def guarded(*args: Any, **kwargs: Any) -> Response:
        try:
            return await handler(*args, **kwargs)
        except httpx.HTTPError:
            raise PageError(503, "portal.unavailable") from None
        except ApiError as exc:
            raise PageError(exc.status, str(exc.problem.get("detail", ""))) from None

    return guarded


async def checked_form(request: Request, page: Page) -> dict[str, str]:
    """The posted form's fields (first value each), after checking its CSRF token.

    A page form is ``application/x-www-form-urlencoded``; without the session's token
    it is refused (another site cannot post it for the contact).
    """
    raw = (await request.body()).decode("utf-8", "replace")
    fields = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    if not csrf_matches(page.session.csrf_token, fields.get(CSRF_FIELD)):
        raise PageError(403, i18n.words(page.lang)["refusal.csrf-token-missing"])
    return fields


def ticket_id_of(raw: str) -> str:
    """The path's ticket id, or the 404 page for anything that is not a UUID."""
    try:
        return str(UUID(raw))
    except ValueError:
        raise PageError(404) from None


def problem_of(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {"detail": answer.text[:500]}
    return body if isinstance(body, dict) else {}


async def optional_json(page: Page, path: str, **params: Any) -> Any:
    """GET an ``/api/v1`` path whose absence is normal (deadlines not computed yet, no
    attachments route, a ticket that is no change request): its JSON, or None."""
    try:
        answer = await page.api.call("GET", path, params=params or None)
    except httpx.HTTPError:  # the page shows the rest; this part is missing for now
        return None
    if answer.status_code >= 400:
        return None
    return answer.json() if answer.content else None


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


PageRoute = tuple[str, Callable[..., Awaitable[Response]], str]
"""A page's path, handler and method."""


def page_router(routes: list[PageRoute]) -> APIRouter:
    """The pages' router: each handler shows an outage as the error page, none is in the
    API document."""
    router = APIRouter(include_in_schema=False)
    for path, handler, method in routes:
        router.add_api_route(path, unavailable_as_page(handler), methods=[method])
    return router
