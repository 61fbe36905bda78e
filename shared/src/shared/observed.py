"""A record of the events a service acted on, read back to prove delivery.

Escalation and notification keep one row per event they applied (id, type, subject,
source, instant), which the end-to-end tests read back to prove delivery, exactly once
per event. Events a service has no use for are skipped before any database work and
leave no row. The payload is not kept (migration 0003 of each service dropped the
``data`` column): the topics hold it, and writing it cost more than the rest.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Self
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Column, DateTime, MetaData, Table, Text, text
from sqlalchemy.dialects.postgresql import UUID as PG_UUID

from shared.auth import Principal, Role, require
from shared.db import UnitOfWork
from shared.events.base import Envelope
from shared.statements import as_columns, insert_columns_ignoring


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
            data jsonb NOT NULL  -- dropped by each service's migration 0003
        )""",
        f'CREATE INDEX IF NOT EXISTS ix_observed_event_subject ON "{schema}".observed_event (subject)',
    ]


class ObservingUnitOfWork(UnitOfWork):
    """A unit of work that also keeps the events its handlers acted on.

    The rows wait in memory and go in one multi-row statement at commit: a consumer's
    batch of records costs one round trip for the record, not one per event. A replay
    under a new inbox name finds the row and leaves it (``ON CONFLICT DO NOTHING``).
    """

    _observed: list[dict[str, Any]]

    async def __aenter__(self) -> Self:
        self._observed = []
        return await super().__aenter__()

    def observe(self, envelope: Envelope) -> None:
        """Keep ``envelope`` in the service's record when this transaction commits."""
        self._observed.append(
            {
                "event_id": envelope.id,
                "event_type": envelope.type,
                "subject": envelope.subject,
                "source": envelope.source,
                "occurred_at": envelope.time,
            }
        )

    async def commit(self) -> None:
        if self._observed:
            await self.session.execute(
                insert_columns_ignoring(_observed_table(self.schema), OBSERVED, ("event_id",)),
                as_columns(self._observed, OBSERVED),
            )
            self._observed = []
        await super().commit()


OBSERVED = ("event_id", "event_type", "subject", "source", "occurred_at")


@functools.cache
def _observed_table(schema: str) -> Table:
    """The columns a unit of work writes (``observed_table_ddl`` makes the whole table)."""
    return Table(
        "observed_event",
        MetaData(schema=schema),
        Column("event_id", PG_UUID(as_uuid=True)),
        Column("event_type", Text),
        Column("subject", Text),
        Column("source", Text),
        Column("occurred_at", DateTime(timezone=True)),
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
