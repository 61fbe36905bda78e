"""``/ops``: the operations page, static files served by the gateway (no build step).

The page is for signed-in staff (the desk's sign-in, docs/web.md): without a staff
session the browser is sent to ``/desk/signin`` and back. The page itself holds no
data: its script asks the same ``/api/v1`` routes as every other client, with the
session cookie (no API key ever reaches the browser), so nothing on it can disagree
with the API and a role sees what its role may. The content security policy admits
only this origin's script and style, so a ticket subject can never run as code on it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from gateway.web.deps import StaffPage
from shared.errors import NotFound

PAGE_DIR = Path(__file__).with_name("ops_page")
ASSETS = {"ops.js": "text/javascript", "ops.css": "text/css"}
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def router() -> APIRouter:
    page = APIRouter(include_in_schema=False)

    @page.get("/ops")
    async def ops_page(_: StaffPage) -> FileResponse:
        return FileResponse(PAGE_DIR / "index.html", media_type="text/html", headers=HEADERS)

    @page.get("/ops/assets/{name}")
    async def ops_asset(name: str) -> FileResponse:
        media_type = ASSETS.get(name)
        if media_type is None:  # only the named files: no path is ever joined from input
            raise NotFound(f"The ops page has no asset {name!r}.")
        return FileResponse(PAGE_DIR / name, media_type=media_type, headers=HEADERS)

    return page
