"""Each process's PostgreSQL connection budget, and the start-up check against the server.

A process opens at most its engine's ``pool_size + max_overflow`` connections (the
relay borrows from that pool) plus its dedicated ones (LISTEN connections held
outside the pool). Every replica of every service takes its budget from the same
``max_connections``; PostgreSQL refuses the connection past it, which the service
sees as errors under load, long after it started. So each process states its budget
at start and warns when its own replicas alone cannot fit (docs/database.md has the
whole platform's table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.logging import get_logger
from shared.settings import DatabaseSettings

log = get_logger(__name__)

OUTBOX_LISTENER = "outbox listener"  # shared.messaging.listener, with the relay


@dataclass(frozen=True)
class ConnectionBudget:
    """The most connections one process of a service opens."""

    service: str
    pool_size: int
    max_overflow: int
    dedicated: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, service: str, database: DatabaseSettings, dedicated: Mapping[str, int] | None = None
    ) -> ConnectionBudget:
        """The budget of a process with ``database``'s pool and ``dedicated`` connections."""
        return cls(service, database.pool_size, database.max_overflow, dict(dedicated or {}))

    @property
    def total(self) -> int:
        return self.pool_size + self.max_overflow + sum(self.dedicated.values())

    def describe(self) -> str:
        """``pool 4 + overflow 2 + outbox listener 1 = 7``."""
        parts = [f"pool {self.pool_size}", f"overflow {self.max_overflow}"]
        parts += [f"{name} {count}" for name, count in self.dedicated.items()]
        return f"{' + '.join(parts)} = {self.total}"


@dataclass(frozen=True)
class ServerLimit:
    """How many ordinary connections the server accepts."""

    max_connections: int
    superuser_reserved: int
    reserved: int = 0  # PostgreSQL 16's reserved_connections (for pg_use_reserved_connections)

    @property
    def available(self) -> int:
        return self.max_connections - self.superuser_reserved - self.reserved


def shortfall(budget: ConnectionBudget, replicas: int, limit: ServerLimit) -> int:
    """How many connections ``replicas`` processes may want beyond the server's; 0 if they fit."""
    return max(0, replicas * budget.total - limit.available)


def warning(budget: ConnectionBudget, replicas: int, limit: ServerLimit, prefix: str) -> str:
    """What the operator reads when the replicas do not fit, with what to change."""
    return (
        f"{replicas} replicas x {budget.total} connections ({budget.describe()}) = "
        f"{replicas * budget.total}, more than the {limit.available} PostgreSQL accepts "
        f"(max_connections {limit.max_connections} - superuser_reserved_connections "
        f"{limit.superuser_reserved} - reserved_connections {limit.reserved}), before any "
        f"other service's; lower {prefix}DATABASE__POOL_SIZE / {prefix}DATABASE__MAX_OVERFLOW, "
        "raise max_connections, or put a pooler (PgBouncer) in front"
    )


async def server_limit(engine: AsyncEngine) -> ServerLimit:
    """Read the server's connection settings (one pooled connection, briefly)."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT current_setting('max_connections')::int,"
                    " current_setting('superuser_reserved_connections')::int,"
                    " coalesce(current_setting('reserved_connections', true), '0')::int"
                )
            )
        ).one()
    return ServerLimit(max_connections=row[0], superuser_reserved=row[1], reserved=row[2])


async def check(
    engine: AsyncEngine, budget: ConnectionBudget, *, replicas: int, prefix: str
) -> int | None:
    """Log the budget (INFO) and a WARNING if the replicas exceed the server; return the shortfall.

    None when the server could not be asked: the check must never stop a service from
    starting (the database may come up after it).
    """
    try:
        # No asyncio timeout around it: cancelling a query mid-flight leaves its pooled
        # connection busy. The engine's connect timeout bounds a server that is away.
        limit = await server_limit(engine)
    except Exception as exc:
        log.info(
            "connection budget",
            budget=budget.describe(),
            replicas=replicas,
            server="unknown: " + repr(exc)[:200],
        )
        return None
    missing = shortfall(budget, replicas, limit)
    log.info(
        "connection budget",
        budget=budget.describe(),
        per_replica=budget.total,
        replicas=replicas,
        needed=replicas * budget.total,
        server_available=limit.available,
    )
    if missing:
        log.warning(
            "connection budget exceeds the server",
            detail=warning(budget, replicas, limit, prefix),
            needed=replicas * budget.total,
            server_available=limit.available,
            max_connections=limit.max_connections,
            superuser_reserved_connections=limit.superuser_reserved,
        )
    return missing
