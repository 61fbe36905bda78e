"""A record of events a service has seen, for services whose own logic is still to come.

Escalation and notification start as observers: they consume their topics through
the idempotent consumer and keep one row per event, which the end-to-end tests
read back to prove delivery (exactly once per event).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import text

from shared.auth import Principal, Role, require
from shared.events.base import Envelope


def observed_table_ddl(schema: str) -> list[str]:
    """DDL of the ``observed_event`` table."""
    return [
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".observed_event (
            event_id uuid PRIMARY KEY,
            event_type text NOT NULL,
            subject text NOT NULL,
            source text NOT NULL,
            occurred_at timestamptz NOT NULL,
            seen_at timestamptz NOT NULL DEFAULT now(),
            data jsonb NOT NULL
        )""",
        f'CREATE INDEX IF NOT EXISTS ix_observed_event_subject ON "{schema}".observed_event (subject)',
    ]


async def record_observed(envelope: Envelope, uow: Any) -> None:
    """Keep the event; a second insert of the same id would violate the primary key."""
    await uow.session.execute(
        text(
            f'INSERT INTO "{uow.schema}".observed_event '
            "(event_id, event_type, subject, source, occurred_at, data) "
            "VALUES (:id, :type, :subject, :source, :time, CAST(:data AS jsonb))"
        ),
        {
            "id": envelope.id,
            "type": envelope.type,
            "subject": envelope.subject,
            "source": envelope.source,
            "time": envelope.time,
            "data": envelope.model_dump_json(include={"data"}),
        },
    )


# Every ticket's events of every customer: support staff only (docs/access-control.md).
Staff = Annotated[Principal, Depends(require(Role.agent))]


def observed_router(prefix: str) -> APIRouter:
    """``GET {prefix}/observed?subject=``: the events this service has seen."""
    router = APIRouter(tags=["observed"])

    @router.get(f"{prefix}/observed")
    async def observed(
        request: Request,
        _: Staff,
        subject: UUID | None = Query(default=None, description="Ticket id to filter by"),
        limit: int = Query(default=100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        runtime = request.app.state.runtime
        where = "WHERE subject = :subject" if subject else ""
        async with runtime.uow() as uow:
            rows = (
                await uow.session.execute(
                    text(
                        f'SELECT event_id, event_type, subject, seen_at FROM "{uow.schema}".observed_event '
                        f"{where} ORDER BY seen_at, event_id LIMIT :limit"
                    ),
                    {"subject": str(subject) if subject else None, "limit": limit},
                )
            ).all()
        return [
            {
                "event_id": str(r.event_id),
                "type": r.event_type,
                "subject": r.subject,
                "seen_at": r.seen_at.isoformat(),
            }
            for r in rows
        ]

    return router
