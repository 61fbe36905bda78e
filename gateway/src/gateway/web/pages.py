"""Rendering a page: the Jinja2 environment, the security headers and the static files.

Every page is rendered here, so every page gets the same headers: a
Content-Security-Policy that admits only this origin's scripts and styles (no
``'unsafe-inline'``: a ticket's text can never run as code), no framing, no
referrer to other sites, no MIME sniffing, and no caching of personal pages.
Templates autoescape everything; scripts and styles are files under
``/static/web/`` (no inline code, so the policy can forbid it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from gateway.sessions import CSRF_FIELD, WebSession
from gateway.web.i18n import LANG_COOKIE, LANGUAGES, choose, words
from shared.errors import NotFound

WEB_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
STATIC_PREFIX = "/static/web"
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.(css|js|svg|png|ico)$")
_MEDIA = {
    "css": "text/css",
    "js": "text/javascript",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = lambda name: f"{STATIC_PREFIX}/{name}"
    env.globals["csrf_field_name"] = CSRF_FIELD
    return env


ENV = _environment()


def language(request: Request) -> str:
    """The request's page language (``?lang=``, the ``desk_lang`` cookie, Accept-Language)."""
    return choose(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def secure(response: Response) -> Response:
    """Add the pages' security headers to ``response``."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    session: WebSession | None = None,
    status: int = 200,
) -> HTMLResponse:
    """Render ``template`` (extending ``base.html``) with what every page needs.

    The context has ``lang``, ``t`` (the words in that language), ``session`` (or
    None), ``csrf_token`` (for the ``<meta>`` and the forms' hidden field), and
    ``path`` (for the language switch's links).
    """
    lang = language(request)
    html = ENV.get_template(template).render(
        lang=lang,
        t=words(lang),
        languages=LANGUAGES,
        session=session,
        csrf_token=session.csrf_token if session else "",
        path=request.url.path,
        **(context or {}),
    )
    response = HTMLResponse(html, status_code=status)
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:  # remembered for the next pages (not a secret: not HttpOnly)
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", path="/")
    secure(response)
    return response


def router() -> APIRouter:
    """``/static/web/<name>``: the pages' CSS, scripts and images."""
    static = APIRouter(include_in_schema=False)

    @static.get(STATIC_PREFIX + "/{name}")
    async def asset(name: str) -> FileResponse:
        # Only plain names of files in the folder: no path is ever joined from input.
        if not _STATIC_NAME.match(name) or name not in {p.name for p in STATIC_DIR.iterdir()}:
            raise NotFound(f"No static file {name!r}.")
        response = FileResponse(
            STATIC_DIR / name,
            media_type=_MEDIA[name.rsplit(".", 1)[1]],
            headers={"Cache-Control": "no-cache"},
        )
        secure(response)
        return response

    return static
