"""``POST /api/v1/accounts/invitations``: invite a staff member to set a password (admin only).

The staff record is escalation's; the gateway reads it, stores a one-time
invitation (its digest, valid 48 hours by default) and mails the link
``{PUBLIC_BASE_URL}/desk/invitation/{token}`` to the record's address in the
member's language. The answer never holds the link: only the mailbox's owner can
set the password. A new invitation leaves an older one valid until it expires.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.adapters.directory import Directory
from gateway.adapters.sessions import TokenStore
from gateway.auth import require
from gateway.config import Settings
from gateway.keys import Principal
from gateway.sessions import Purpose
from shared.auth import Role
from shared.errors import NotFound, Unprocessable

Admin = Annotated[Principal, Depends(require(Role.admin))]


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: UUID = Field(description="A staff record of escalation (POST /api/v1/staff)")


class InvitationRead(BaseModel):
    staff_id: UUID
    email: str = Field(description="Where the invitation was mailed")
    expires_at: datetime


async def invite(request: Request, body: InvitationCreate, who: Admin) -> InvitationRead:
    """Mail a staff member a link to set their password; 404 for an unknown staff id,
    422 for a deactivated member."""
    directory: Directory = request.app.state.directory
    member = await directory.staff(body.staff_id)
    if member is None:
        raise NotFound(f"No staff member {body.staff_id}; add one with POST /api/v1/staff.")
    if not member.active:
        raise Unprocessable(
            f"Staff member {body.staff_id} is deactivated; activate them with "
            'PATCH /api/v1/staff/{id} {"active": true} before inviting.',
            slug="staff-inactive",
        )
    settings: Settings = request.app.state.settings
    valid_for = settings.web.lifetimes().invitation
    tokens: TokenStore = request.app.state.one_time_tokens
    token = await tokens.issue(
        purpose=Purpose.invitation, subject=str(member.id), email=member.email, valid_for=valid_for
    )
    await directory.send_mail(
        key=f"invitation:{token[:16]}",
        to=member.email,
        template="staff_invitation",
        language=member.language,
        values={
            "link": f"{settings.base_url}/desk/invitation/{token}",
            "name": member.name,
            "hours": str(int(valid_for.total_seconds() // 3600)),
        },
    )
    return InvitationRead(
        staff_id=member.id, email=member.email, expires_at=datetime.now(UTC) + valid_for
    )


def router() -> APIRouter:
    """The staff accounts' routes (admin only)."""
    api = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
    api.post("/invitations", status_code=201)(invite)
    return api
