"""Routes of a ticket's attachments: upload (multipart), list, download the bytes."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, File, Form, Header, Response, UploadFile
from pydantic import EmailStr

from intake.api import mapping
from intake.api.deps import (
    EntitlementsDep,
    LimitsDep,
    NowDep,
    OwnTicket,
    StoreDep,
    UowDep,
    actor_of,
)
from intake.api.schemas import ActorIn
from intake.api.schemas_attachments import AttachmentRead, UploadRead
from intake.domain.attachments import IncomingFile, content_disposition
from intake.usecases import attachments

router = APIRouter(tags=["attachments"])


@router.post("/tickets/{ticket_id}/attachments", status_code=201)
async def upload_attachments(
    ticket_id: UUID,
    uow: UowDep,
    who: OwnTicket,
    store: StoreDep,
    limits: LimitsDep,
    entitlements: EntitlementsDep,
    now: NowDep,
    file: Annotated[
        list[UploadFile], File(description="One or more files (repeat the `file` field)")
    ],
    comment: Annotated[
        str | None,
        Form(max_length=100_000, description="Text of a public comment carrying the files"),
    ] = None,
    contact_email: Annotated[
        EmailStr | None,
        Form(description="The contact who uploads (required with a customer's or bot's key)"),
    ] = None,
    source: Annotated[Literal["api", "portal"], Form()] = "api",
) -> UploadRead:
    """Attach files to the ticket (multipart/form-data); with ``comment``, as a public comment.

    Limits (413 naming the file, its size and the limit): per file, per upload, and the
    number of files (``INTAKE_ATTACHMENTS__MAX_*``).
    """
    incoming = [
        IncomingFile(
            filename=f.filename or "",
            declared_type=f.content_type or "application/octet-stream",
            data=await f.read(),
        )
        for f in file
    ]
    actor = actor_of(
        who, ActorIn(kind="customer", contact_email=contact_email) if contact_email else None
    )
    uploaded = await attachments.upload(
        uow,
        store,
        entitlements=entitlements,
        ticket_id=ticket_id,
        files=incoming,
        comment=comment.strip() if comment else None,
        source=source,
        actor=actor,
        limits=limits,
        now=now,
        scope=who.customer_scope,
    )
    return UploadRead(
        attachments=[AttachmentRead.of(a) for a in uploaded.attachments],
        comment=mapping.comment_read(uploaded.comment) if uploaded.comment else None,
    )


@router.get("/tickets/{ticket_id}/attachments")
async def list_attachments(ticket_id: UUID, uow: UowDep, who: OwnTicket) -> list[AttachmentRead]:
    """The ticket's files, oldest first; an internal comment's files only for support staff."""
    found = await attachments.list_attachments(
        uow, ticket_id, include_internal=who.is_staff, scope=who.customer_scope
    )
    return [AttachmentRead.of(a) for a in found]


@router.get(
    "/tickets/{ticket_id}/attachments/{attachment_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The bytes"}},
)
async def download_attachment(
    ticket_id: UUID,
    attachment_id: UUID,
    uow: UowDep,
    who: OwnTicket,
    store: StoreDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The file's bytes, byte for byte, as a download (never rendered as a page)."""
    found, data = await attachments.read_content(
        uow,
        store,
        ticket_id=ticket_id,
        attachment_id=attachment_id,
        include_internal=who.is_staff,
        scope=who.customer_scope,
    )
    etag = f'"{found.sha256}"'
    headers = {
        "ETag": etag,
        "Content-Disposition": content_disposition(found.filename),
        # The type is the sniffed one; the browser must not guess another (an HTML "log").
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=0, must-revalidate",
    }
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type=found.content_type, headers=headers)
