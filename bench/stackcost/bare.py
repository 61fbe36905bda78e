"""The yardstick: a bare FastAPI endpoint that validates a ticket and INSERTs it with asyncpg.

No gateway, no authentication, no outbox, no events: what one Python process on
this machine can do for the same request body. ``stack_cost.py`` starts it as
``python bench/stackcost/bare.py --port N --dsn postgresql://...``.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import uvicorn
from fastapi import FastAPI, Request
from pydantic import BaseModel

TABLE = """CREATE TABLE IF NOT EXISTS bare_ticket (
    id uuid PRIMARY KEY, contact_email text NOT NULL, subject text NOT NULL,
    severity text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"""


class TicketCreate(BaseModel):
    contact_email: str
    subject: str
    severity: str


class TicketRead(BaseModel):
    id: uuid.UUID


def create_app(dsn: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with asyncpg.create_pool(dsn, min_size=5, max_size=20) as pool:
            await pool.execute(TABLE)
            app.state.pool = pool
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/tickets", status_code=201)
    async def create(body: TicketCreate, request: Request) -> TicketRead:
        ticket_id = uuid.uuid4()
        await request.app.state.pool.execute(
            "INSERT INTO bare_ticket (id, contact_email, subject, severity) VALUES ($1, $2, $3, $4)",
            ticket_id,
            body.contact_email,
            body.subject,
            body.severity,
        )
        return TicketRead(id=ticket_id)

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(args.dsn), host="127.0.0.1", port=args.port, log_level="warning")
