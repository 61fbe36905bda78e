"""What a ticket asks of PostgreSQL: transactions and rows written, from ``pg_stat_database``.

CPU says how much; these say why. Every service commits at least one transaction per
event it handles (inbox claim and effect together) and its relay one per batch it
publishes, so transactions per ticket is the figure the architecture sets and the
code only tunes. The counters are the server's cumulative ones for the stack's database,
flushed by each backend at most once a second (PostgreSQL 15), so a window of tens of
seconds reads them to within a few transactions.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

COUNTERS = ("xact_commit", "xact_rollback", "tup_inserted", "tup_updated", "tup_deleted")
SQL = f"SELECT {', '.join(COUNTERS)} FROM pg_stat_database WHERE datname = $1"


@dataclass(frozen=True)
class DbCounters:
    values: dict[str, int]

    def minus(self, earlier: DbCounters) -> dict[str, int]:
        return {k: self.values[k] - earlier.values[k] for k in COUNTERS}


async def read(server_url: str, database: str) -> DbCounters:
    """The database's counters now (asked from the maintenance database: not counted)."""
    conn = await asyncpg.connect(server_url)
    try:
        row = await conn.fetchrow(SQL, database)
    finally:
        await conn.close()
    return DbCounters({k: int(row[k]) if row else 0 for k in COUNTERS})


def per_ticket(
    idle: dict[str, int], idle_seconds: float, load: dict[str, int], load_seconds: float, n: int
) -> dict[str, float]:
    """Counter deltas of the load window per ticket, the idle rate times its length taken out."""
    return {
        k: round((load[k] - idle[k] / idle_seconds * load_seconds) / max(1, n), 2) for k in COUNTERS
    }
