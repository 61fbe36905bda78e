"""What a page handler gets: the signed-in person, and the API called as that person.

``ContactPage`` and ``StaffPage`` (or :func:`page` with roles) are the pages'
dependency: without a live session the browser is sent to the sign-in page (and
back afterwards); a session of the wrong kind or role gets the 404 page. A page
handler reads and changes data only through :class:`Api`, which forwards to the
same ``/api/v1`` routes as the proxy, with the session's principal, so the
services apply the same access rules as for an API key: another customer's ticket
answers 404 there, and :meth:`Api.get_json` turns that into the 404 page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from gateway.auth import session_of
from gateway.keys import Principal
from gateway.routing import Upstream, principal_headers, service_for
from gateway.sessions import Kind, WebSession
from gateway.web.pages import language, render
from shared.auth import Role, allowed_roles
from shared.observability.tracing import inject_headers

SIGN_IN = {Kind.contact: "/portal/signin", Kind.staff: "/desk/signin"}


class SignInRequired(Exception):
    """No live session: the browser goes to the sign-in page of ``kind``."""

    def __init__(self, kind: Kind, back_to: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.back_to = back_to


class PageError(Exception):
    """A page that cannot be shown: rendered as the error page with ``status``."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class ApiError(Exception):
    """An ``/api/v1`` answer of 400 and up other than 404; ``problem`` is its body."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail", status))
        self.status = status
        self.problem = problem


@dataclass(frozen=True)
class Api:
    """The ``/api/v1`` routes, called in-process as the session's principal."""

    request: Request
    principal: Principal

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> httpx.Response:
        """Send ``method /api/v1/<path>`` to its service and return the answer, read."""
        path = path.lstrip("/")
        service = service_for(path.split("?", 1)[0], method)
        if service is None:
            raise ValueError(f"no service answers /api/v1/{path}")
        upstreams: dict[str, Upstream] = self.request.app.state.upstreams
        upstream = upstreams[service]
        settings = self.request.app.state.settings
        headers = principal_headers(
            self.principal,
            request_id=getattr(self.request.state, "request_id", "") or "",
            internal_token=settings.internal_token,
        )
        headers.append((b"accept", b"application/json"))
        if content_type:
            headers.append((b"content-type", content_type.encode()))
        url = httpx.URL(str(upstream.base).rstrip("/") + "/api/v1/" + path, params=params)
        outgoing = httpx.Request(
            method,
            url,
            headers=headers,
            json=json,
            content=content,
            extensions={"timeout": httpx.Timeout(upstream.timeout).as_dict()},
        )
        await inject_headers(outgoing)
        answer = await upstream.transport.handle_async_request(outgoing)
        try:
            body = await answer.aread()
        finally:
            await answer.aclose()
        return httpx.Response(
            answer.status_code, headers=answer.headers, content=body, request=outgoing
        )

    async def get_json(self, path: str, **params: Any) -> Any:
        """GET ``/api/v1/<path>``: its JSON; the 404 page for a 404 (not visible to this
        person), :class:`ApiError` for another refusal."""
        answer = await self.call("GET", path, params=params or None)
        return _json_or_raise(answer)


def _json_or_raise(answer: httpx.Response) -> Any:
    if answer.status_code == 404:
        raise PageError(404)
    if answer.status_code >= 400:
        try:
            problem = answer.json()
        except ValueError:
            problem = {"detail": answer.text[:500]}
        raise ApiError(answer.status_code, problem if isinstance(problem, dict) else {})
    return answer.json() if answer.content else None


@dataclass(frozen=True)
class Page:
    """A signed-in page request: the session, its principal, its language, and the API."""

    session: WebSession
    principal: Principal
    lang: str
    api: Api


def page(kind: Kind, *roles: Role) -> Callable[[Request], Awaitable[Page]]:
    """The dependency of a page for ``kind`` (and, for staff, ``roles`` and wider)."""
    admitted = allowed_roles(roles) if roles else None

    async def dependency(request: Request) -> Page:
        found = await session_of(request)
        if found is None:
            raise SignInRequired(kind, request.url.path)
        if found.kind != kind or (admitted is not None and found.role not in admitted):
            raise PageError(404)
        who = found.principal()
        request.state.web_session = found
        request.state.principal = who
        return Page(session=found, principal=who, lang=language(request), api=Api(request, who))

    return dependency


ContactPage = Annotated[Page, Depends(page(Kind.contact))]
StaffPage = Annotated[Page, Depends(page(Kind.staff, Role.agent))]


def install(app: FastAPI) -> None:
    """The pages' exception handlers: to the sign-in page, or the error page (a 404, or an
    API refusal a page handler let through, in the API's words)."""

    async def sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        target = f"{SIGN_IN[exc.kind]}?next={quote(exc.back_to, safe='/')}"
        return RedirectResponse(target, status_code=303)

    async def error_page(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        session = getattr(request.state, "web_session", None)
        return render(
            request,
            "error.html",
            {"status": exc.status, "detail": exc.detail},
            session=session,
            status=exc.status,
        )

    async def refused(request: Request, exc: Exception) -> Response:
        """A refusal a page did not handle itself: its words, never a 500."""
        assert isinstance(exc, ApiError)
        session = getattr(request.state, "web_session", None)
        detail = str(exc.problem.get("detail") or exc.problem.get("title") or exc.status)
        status = exc.status if 400 <= exc.status < 600 else 502
        return render(
            request,
            "error.html",
            {"status": status, "detail": detail},
            session=session,
            status=status,
        )

    app.add_exception_handler(SignInRequired, sign_in)
    app.add_exception_handler(PageError, error_page)
    app.add_exception_handler(ApiError, refused)
