"""Sign-in pages: contacts by emailed link, staff by password (set through an invitation).

- ``/portal/signin``: a contact asks for a link; the page says the same words
  whether or not the address is a registered contact, and only a registered one
  gets mail. Links are single use and live 15 minutes. Both this and the password
  form are limited per address and per IP (5 in 15 minutes by default); over the
  limit the page says to wait, still without saying whether the address exists.
- ``/portal/signin/{token}``: the link; a session for the contact, then ``/portal``.
- ``/desk/invitation/{token}``: a staff member sets a password (12 characters or
  more, typed twice); ``/desk/signin``: email and password (one answer for an unknown
  address and a wrong password) → a session with the staff record's role.
- ``POST /signout``: revokes the session on the server (CSRF-checked) and clears it.

Forms posted before any session exists (the sign-in forms) are refused when their
``Origin`` is another site's: nobody can sign a browser into someone else's account.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.background import BackgroundTask

from gateway.adapters.directory import Directory
from gateway.adapters.sessions import AccountStore, AttemptLog, SessionStore, TokenStore
from gateway.auth import session_of
from gateway.config import Settings
from gateway.sessions import (
    COOKIE,
    CSRF_FIELD,
    Kind,
    Purpose,
    csrf_matches,
    normalise_email,
    plausible_email,
    staff_role,
)
from gateway.web.deps import SIGN_IN, PageError
from gateway.web.pages import language, render
from shared.auth import Role
from shared.logging import get_logger

log = get_logger(__name__)
HASHER = PasswordHasher()
MIN_PASSWORD = 12
# Verified against when the address has no account, so both answers take as long.
_DUMMY_HASH = HASHER.hash("not a password of anyone's")


async def form_fields(request: Request) -> dict[str, str]:
    """A page form's fields (``application/x-www-form-urlencoded``), first value each."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in parsed.items()}


def _same_origin(request: Request, settings: Settings) -> bool:
    """A form posted from this platform's pages (or by a client that sends no ``Origin``)."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    own = {f"{request.url.scheme}://{request.headers.get('host', '')}", settings.base_url}
    parts = urlsplit(settings.base_url)
    own.add(f"{parts.scheme}://{parts.netloc}")
    return origin.rstrip("/") in own


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _safe_next(value: str | None, default: str) -> str:
    """Only a path on this site (never ``//host`` or a URL): no open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """``desk_session``: HttpOnly, SameSite=Lax, Path=/, Secure behind TLS; lives as long as
    the session's absolute lifetime (the server ends it sooner on idle or logout)."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.web.lifetimes().absolute.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


async def _limited(request: Request, scope: str, email: str) -> bool:
    """Record one attempt for the address and the IP; True when either is over the limit."""
    settings: Settings = request.app.state.settings
    attempts: AttemptLog = request.app.state.sign_in_attempts
    counts = await attempts.record(
        {f"{scope}-address": email, f"{scope}-ip": _client_ip(request)},
        window=settings.web.attempt_window,
    )
    return (
        counts[f"{scope}-address"] > settings.web.attempts_per_address
        or counts[f"{scope}-ip"] > settings.web.attempts_per_ip
    )


async def _send_link(request: Request, email: str, lang: str) -> None:
    """Mail a sign-in link if ``email`` is an active contact (run after the answer is sent,
    so the page takes as long either way); nothing at all for an unknown address."""
    directory: Directory = request.app.state.directory
    settings: Settings = request.app.state.settings
    tokens: TokenStore = request.app.state.one_time_tokens
    try:
        contact = await directory.contact(email)
        if contact is None:
            return
        lifetimes = settings.web.lifetimes()
        token = await tokens.issue(
            purpose=Purpose.sign_in,
            subject=str(contact.customer_id),
            email=email,
            valid_for=lifetimes.sign_in_link,
        )
        await directory.send_mail(
            key=f"sign-in:{token[:16]}",
            to=email,
            template="sign_in",
            language=lang,
            values={
                "link": f"{settings.base_url}/portal/signin/{token}",
                "minutes": str(int(lifetimes.sign_in_link.total_seconds() // 60)),
                "customer_name": contact.customer_name,
            },
        )
    except Exception as exc:  # after the answer: nobody to tell but the log
        log.warning("sign-in link not sent", error=repr(exc))


def _portal_routes(pages: APIRouter) -> None:
    @pages.get("/portal/signin")
    async def portal_signin_form(request: Request) -> Response:
        message = "signed_out" if request.query_params.get("signed_out") else None
        return render(
            request, "portal_signin.html", {"email": "", "message": message, "error": None}
        )

    @pages.post("/portal/signin")
    async def portal_signin(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        if not _same_origin(request, settings):
            raise PageError(403, "forbidden_origin")
        email = normalise_email((await form_fields(request)).get("email", ""))
        context: dict[str, Any] = {"email": email, "message": None, "error": None}
        if not plausible_email(email):
            return render(
                request, "portal_signin.html", {**context, "error": "bad_email"}, status=422
            )
        if await _limited(request, "link", email):
            return render(
                request, "portal_signin.html", {**context, "error": "too_many"}, status=429
            )
        response = render(request, "portal_signin.html", {**context, "message": "link_sent"})
        response.background = BackgroundTask(_send_link, request, email, language(request))
        return response

    @pages.get("/portal/signin/{token}")
    async def portal_link(request: Request, token: str) -> Response:
        tokens: TokenStore = request.app.state.one_time_tokens
        used = await tokens.consume(Purpose.sign_in, token[:200])
        if used is None:
            return render(
                request,
                "portal_signin.html",
                {"email": "", "message": None, "error": "link_invalid"},
                status=410,
            )
        customer, email = used
        directory: Directory = request.app.state.directory
        contact = await directory.contact(email)
        if contact is None or str(contact.customer_id) != customer:
            return render(
                request,
                "portal_signin.html",
                {"email": "", "message": None, "error": "link_invalid"},
                status=410,
            )
        store: SessionStore = request.app.state.web_sessions
        cookie, _ = await store.create(
            kind=Kind.contact,
            subject=email,
            role=Role.customer,
            customer_id=contact.customer_id,
            name=email,
        )
        response = RedirectResponse("/portal", status_code=303)
        set_session_cookie(response, cookie, request.app.state.settings)
        return response


async def _check_password(request: Request, email: str, password: str) -> UUID | None:
    """The staff id whose account has this address and password (None otherwise)."""
    accounts: AccountStore = request.app.state.accounts
    found = await accounts.by_email(email)
    stored = found[1] if found else _DUMMY_HASH
    ok: bool
    try:
        # argon2 is slow on purpose: off the event loop, so other requests go on.
        ok = await asyncio.to_thread(HASHER.verify, stored, password)
    except (VerificationError, InvalidHashError):
        ok = False
    return found[0] if found and ok else None


async def staff_session(request: Request, staff_id: UUID, target: str) -> Response | None:
    """A session for an active staff member with their record's role; None if inactive."""
    directory: Directory = request.app.state.directory
    member = await directory.staff(staff_id)
    if member is None or not member.active:
        return None
    store: SessionStore = request.app.state.web_sessions
    cookie, _ = await store.create(
        kind=Kind.staff,
        subject=str(member.id),
        role=staff_role(member.role, admin=member.admin),
        customer_id=None,
        name=member.name,
    )
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, cookie, request.app.state.settings)
    return response


def _desk_routes(pages: APIRouter) -> None:
    def form(request: Request, **context: Any) -> dict[str, Any]:
        settings: Settings = request.app.state.settings
        base = {"email": "", "message": None, "error": None, "oidc": settings.oidc.enabled}
        base["next"] = _safe_next(request.query_params.get("next"), "/desk")
        return {**base, **context}

    @pages.get("/desk/signin")
    async def desk_signin_form(request: Request) -> Response:
        message = "password_set" if request.query_params.get("set") else None
        if request.query_params.get("signed_out"):
            message = "signed_out"
        return render(request, "desk_signin.html", form(request, message=message))

    @pages.post("/desk/signin")
    async def desk_signin(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        if not _same_origin(request, settings):
            raise PageError(403, "forbidden_origin")
        fields = await form_fields(request)
        email = normalise_email(fields.get("email", ""))
        target = _safe_next(fields.get("next"), "/desk")
        context = form(request, email=email, next=target)
        if await _limited(request, "password", email):
            return render(request, "desk_signin.html", {**context, "error": "too_many"}, status=429)
        staff_id = await _check_password(request, email, fields.get("password", "")[:1024])
        signed_in = await staff_session(request, staff_id, target) if staff_id else None
        if signed_in is None:
            return render(
                request, "desk_signin.html", {**context, "error": "wrong_credentials"}, status=401
            )
        return signed_in

    _invitation_routes(pages)


def _invitation_routes(pages: APIRouter) -> None:
    @pages.get("/desk/invitation/{token}")
    async def invitation_form(request: Request, token: str) -> Response:
        tokens: TokenStore = request.app.state.one_time_tokens
        found = await tokens.peek(Purpose.invitation, token[:200])
        context = {"valid": found is not None, "email": found[1] if found else ""}
        error = None if found else "invitation_invalid"
        return render(
            request, "invitation.html", {**context, "error": error}, status=200 if found else 410
        )

    @pages.post("/desk/invitation/{token}")
    async def set_password(request: Request, token: str) -> Response:
        settings: Settings = request.app.state.settings
        # The token in the path is the secret: another site cannot post here without it.
        if not _same_origin(request, settings):
            raise PageError(403, "forbidden_origin")
        tokens: TokenStore = request.app.state.one_time_tokens
        found = await tokens.peek(Purpose.invitation, token[:200])
        if found is None:
            return render(
                request,
                "invitation.html",
                {"valid": False, "email": "", "error": "invitation_invalid"},
                status=410,
            )
        fields = await form_fields(request)
        password = fields.get("password", "")
        error = None
        if len(password) < MIN_PASSWORD:
            error = "password_short"
        elif password != fields.get("confirmation"):
            error = "password_mismatch"
        if error:
            return render(
                request,
                "invitation.html",
                {"valid": True, "email": found[1], "error": error},
                status=422,
            )
        used = await tokens.consume(Purpose.invitation, token[:200])
        if used is None:  # used by a concurrent submission in between
            return render(
                request,
                "invitation.html",
                {"valid": False, "email": "", "error": "invitation_invalid"},
                status=410,
            )
        password_hash = await asyncio.to_thread(HASHER.hash, password[:1024])
        accounts: AccountStore = request.app.state.accounts
        await accounts.set_password(
            staff_id=UUID(used[0]), email=used[1], password_hash=password_hash
        )
        return RedirectResponse("/desk/signin?set=1", status_code=303)


def _signout_route(pages: APIRouter) -> None:
    @pages.post("/signout")
    async def sign_out(request: Request) -> Response:
        """End the session on the server (the cookie alone would be a copy that still works)."""
        found = await session_of(request)
        target = "/portal/signin"
        if found is not None:
            target = SIGN_IN[Kind(found.kind)]
            fields = await form_fields(request)
            given = request.headers.get("x-csrf-token") or fields.get(CSRF_FIELD)
            if not csrf_matches(found.csrf_token, given):
                raise PageError(403, "csrf_failed")
            store: SessionStore = request.app.state.web_sessions
            await store.revoke(found.id)
        response = RedirectResponse(f"{target}?signed_out=1", status_code=303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
        return response


def router() -> APIRouter:
    """The sign-in and sign-out pages."""
    pages = APIRouter(include_in_schema=False)
    _portal_routes(pages)
    _desk_routes(pages)
    _signout_route(pages)
    return pages
