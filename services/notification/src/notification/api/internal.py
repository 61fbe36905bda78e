"""``POST /internal/mail``: a message the gateway asks for (sign-in link, staff invitation).

Over the internal hop only (the platform's token and a ``system`` principal, as the
gateway calls it); never routed from outside. 202: stored for the delivery worker.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from notification.runtime import NotificationRuntime
from notification.usecases.direct_mail import DirectMail, queue_mail
from shared.auth import Principal, Role, require

router = APIRouter(tags=["internal"])
System = Annotated[Principal, Depends(require(Role.system))]


class MailCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(
        min_length=1, max_length=200, description="Same key, same message: stored once"
    )
    to: EmailStr
    template: Literal["sign_in", "staff_invitation"]
    language: str = Field(default="ru", max_length=10)
    values: dict[str, str] = Field(default_factory=dict, max_length=20)


class MailQueued(BaseModel):
    queued: bool = Field(description="False: this key was queued before")


@router.post("/internal/mail", status_code=202, include_in_schema=False)
async def send_mail(request: Request, body: MailCreate, _: System) -> MailQueued:
    """Queue one email from a template (sent with retries; see the delivery log)."""
    runtime: NotificationRuntime = request.app.state.runtime
    mail = DirectMail(
        key=body.key,
        to=str(body.to),
        template=body.template,
        language=body.language,
        values=body.values,
    )
    async with runtime.uow() as uow:
        queued = await queue_mail(uow, mail, now=runtime.clock.now())
    return MailQueued(queued=queued)
