"""``GET /api/v1/session``: who the browser is signed in as, and its CSRF token.

Same-origin only in effect: the gateway sends no CORS headers, so another site's
script cannot read the answer (and so cannot learn the token). A caller with an API
key has no session: 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from gateway.auth import require
from gateway.keys import Principal
from gateway.sessions import WebSession
from shared.auth import ANYONE
from shared.errors import NotFound

Anyone = Annotated[Principal, Depends(require(*ANYONE))]


class SessionRead(BaseModel):
    kind: str = Field(description="contact or staff")
    name: str
    role: str
    customer_id: UUID | None
    csrf_token: str = Field(description="Send as X-CSRF-Token with every change")
    idle_expires_at: datetime
    expires_at: datetime


def router() -> APIRouter:
    """The browser session's own route."""
    api = APIRouter(prefix="/api/v1/session", tags=["session"])

    @api.get("")
    async def current_session(request: Request, who: Anyone) -> SessionRead:
        """The signed-in browser's session (404 for an API key: keys have none)."""
        found: WebSession | None = getattr(request.state, "web_session", None)
        if found is None:
            raise NotFound(
                "No browser session: sign in at /portal/signin or /desk/signin "
                "(an API key has no session).",
                slug="no-session",
            )
        return SessionRead(
            kind=found.kind,
            name=found.name,
            role=found.role,
            customer_id=found.customer_id,
            csrf_token=found.csrf_token,
            idle_expires_at=found.idle_expires_at,
            expires_at=found.expires_at,
        )

    return api
