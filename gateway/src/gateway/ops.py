"""``/ops``: the operations page, static files served by the gateway (no build step).

The page is public because it holds no data: its script asks the same ``/api/v1``
routes as every other client, with the key the operator types in (kept in
``sessionStorage``), so nothing on it can disagree with the API. The content
security policy admits only this origin's script and style, so a ticket subject
can never run as code on the page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

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
}


def router() -> APIRouter:
    page = APIRouter(include_in_schema=False)

    @page.get("/ops")
    async def ops_page() -> FileResponse:
        return FileResponse(PAGE_DIR / "index.html", media_type="text/html", headers=HEADERS)

    @page.get("/ops/assets/{name}")
    async def ops_asset(name: str) -> FileResponse:
        media_type = ASSETS.get(name)
        if media_type is None:  # only the named files: no path is ever joined from input
            raise NotFound(f"The ops page has no asset {name!r}.")
        return FileResponse(PAGE_DIR / name, media_type=media_type, headers=HEADERS)

    return page
