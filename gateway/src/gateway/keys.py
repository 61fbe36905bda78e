"""API keys: issued once, stored as SHA-256 digests, looked up by digest.

A key is ``sd_<prefix>_<secret>``; only its digest is stored, so a database leak
reveals no usable key. High-entropy keys need no slow KDF, and a plain digest
can be looked up through a unique index (see the reliability reference, API2).
Roles and the optional customer binding prepare tenant isolation: a key bound
to a customer will only see that customer's resources.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from sqlalchemy import Column, DateTime, Table, Text, func, insert, select
from sqlalchemy.dialects.postgresql import UUID as PgUUID, insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import SCHEMA
from shared.db import service_metadata
from shared.events.base import new_id

metadata = service_metadata(SCHEMA)

api_key = Table(
    "api_key",
    metadata,
    Column("id", PgUUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("prefix", Text, nullable=False),
    Column("digest", Text, nullable=False, unique=True),
    Column("role", Text, nullable=False),
    Column("customer_id", PgUUID(as_uuid=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
)


class Role(StrEnum):
    """Who holds a key; finer authorisation comes with the roles issue."""

    admin = "admin"
    manager = "manager"
    agent = "agent"
    bot = "bot"
    system = "system"


@dataclass(frozen=True)
class Principal:
    """The caller behind a valid key."""

    key_id: UUID
    name: str
    role: Role
    customer_id: UUID | None


def digest(key: str) -> str:
    """SHA-256 hex digest of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    """A new key: a visible prefix (to tell keys apart in logs) and 256 bits of secret."""
    return f"sd_{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"


def key_prefix(key: str) -> str:
    return key[:11]


class KeyStore:
    """Looks keys up, with a short cache so a hot path costs no query."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, cache_seconds: float) -> None:
        self._sessions = sessions
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def authenticate(self, key: str) -> Principal | None:
        """The principal of a valid, unrevoked key, or None."""
        key_digest = digest(key)
        cached = self._cache.get(key_digest)
        now = time.monotonic()
        if cached and cached[0] > now:
            return cached[1]
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(api_key).where(
                        api_key.c.digest == key_digest, api_key.c.revoked_at.is_(None)
                    )
                )
            ).one_or_none()
        principal = (
            Principal(
                key_id=row.id, name=row.name, role=Role(row.role), customer_id=row.customer_id
            )
            if row
            else None
        )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key_digest] = (now + self._cache_seconds, principal)
        return principal

    async def create(
        self, *, name: str, role: Role, customer_id: UUID | None = None
    ) -> tuple[str, UUID]:
        """Issue a key; the plain key is returned once and never stored."""
        key = generate_key()
        key_id = new_id()
        async with self._sessions() as session, session.begin():
            await session.execute(
                insert(api_key).values(
                    id=key_id,
                    name=name,
                    prefix=key_prefix(key),
                    digest=digest(key),
                    role=role,
                    customer_id=customer_id,
                )
            )
        return key, key_id

    async def seed_admin(self, key: str) -> None:
        """Make sure ``key`` is a valid admin key (idempotent across restarts)."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                pg_insert(api_key)
                .values(
                    id=new_id(),
                    name="seeded admin",
                    prefix=key_prefix(key),
                    digest=digest(key),
                    role=Role.admin,
                )
                .on_conflict_do_nothing(index_elements=["digest"])
            )

    async def revoke(self, key_id: UUID) -> bool:
        """Revoke a key; False if there is no such key."""
        from sqlalchemy import update

        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(api_key)
                .where(api_key.c.id == key_id, api_key.c.revoked_at.is_(None))
                .values(revoked_at=func.now())
                .returning(api_key.c.id)
            )
            revoked = result.scalar() is not None
        self._cache.clear()
        return revoked
