"""The API keys' table, the key store (cached lookups, issue, rotate, revoke) and the listener.

Every replica caches lookups, and a revocation or rotation must reach all of them
within a second: the change sends ``NOTIFY gateway_keys`` in its own transaction (so
it is heard only if it committed), and each replica's :class:`KeyListener` empties
its cache when it hears one. While a replica is not listening (its connection
dropped, the database restarting) it trusts a cached lookup for at most
``unheard_cache_seconds`` (1 s), and it empties the cache when it listens again,
since it may have missed a notification meanwhile.

Rotation keeps one row per key: the new digest takes ``digest``, the old one
moves to ``previous_digest`` and stays valid until ``previous_valid_until`` (the
grace period), so a client can roll its secret without downtime. ``last_used_at``
is written at most once per ``touch_seconds`` per key and replica: the hot path
pays no write per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import Column, DateTime, Table, Text, func, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import UUID as PgUUID, insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.config import SCHEMA
from gateway.keys import Principal, digest, generate_key, key_prefix
from shared import audit
from shared.auth import Role
from shared.db import service_metadata
from shared.events.base import new_id
from shared.logging import get_logger
from shared.pgconnect import target_of

log = get_logger(__name__)
metadata = service_metadata(SCHEMA)
# Revocations and rotations are announced here; every replica's listener empties its cache.
CHANNEL = "gateway_keys"

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
    Column("last_used_at", DateTime(timezone=True)),
    Column("rotated_at", DateTime(timezone=True)),
    Column("previous_digest", Text, unique=True),
    Column("previous_valid_until", DateTime(timezone=True)),
)


_LISTED = (
    api_key.c.id,
    api_key.c.name,
    api_key.c.prefix,
    api_key.c.role,
    api_key.c.customer_id,
    api_key.c.created_at,
    api_key.c.last_used_at,
    api_key.c.rotated_at,
    api_key.c.previous_valid_until,
    api_key.c.revoked_at,
)


class KeyStore:
    """Looks keys up, with a short cache so a hot path costs no query."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        cache_seconds: float,
        touch_seconds: float = 60.0,
        unheard_cache_seconds: float = 1.0,
    ) -> None:
        self._sessions = sessions
        self._cache_seconds = cache_seconds
        self._unheard_cache_seconds = min(cache_seconds, unheard_cache_seconds)
        self._touch_seconds = touch_seconds
        self._cache: dict[str, tuple[float, Principal | None]] = {}  # digest -> (looked up at, who)
        self._touched: dict[UUID, float] = {}
        # Set by the replica's KeyListener: True while it hears every key change.
        self.listening = False
        # Counts forget(): a lookup that raced a key change is not cached.
        self._generation = 0

    def forget(self) -> None:
        """Drop every cached lookup (a key changed, maybe on another replica)."""
        self._generation += 1
        self._cache.clear()

    async def authenticate(self, key: str) -> Principal | None:
        """The principal of a valid, unrevoked key (or one in its rotation grace), or None."""
        key_digest = digest(key)
        cached = self._cache.get(key_digest)
        now = time.monotonic()
        # Unheard changes (no listener now) must still reach this replica within a second.
        ttl = self._cache_seconds if self.listening else self._unheard_cache_seconds
        if cached and cached[0] + ttl > now:
            principal = cached[1]
        else:
            generation = self._generation
            principal = await self._lookup(key_digest)
            if len(self._cache) > 10_000:
                self._cache.clear()
            # A change heard while the lookup ran may postdate what it read: use, don't keep.
            if generation == self._generation:
                self._cache[key_digest] = (now, principal)
        if principal is not None:
            await self._touch(principal.key_id, now)
        return principal

    async def _lookup(self, key_digest: str) -> Principal | None:
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(api_key).where(
                        api_key.c.revoked_at.is_(None),
                        or_(
                            api_key.c.digest == key_digest,
                            (api_key.c.previous_digest == key_digest)
                            & (api_key.c.previous_valid_until > func.now()),
                        ),
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        return Principal(
            key_id=row.id, name=row.name, role=Role(row.role), customer_id=row.customer_id
        )

    async def _touch(self, key_id: UUID, now: float) -> None:
        """Record the last use, at most once per ``touch_seconds`` per key in this replica."""
        if now - self._touched.get(key_id, -1e18) < self._touch_seconds:
            return
        self._touched[key_id] = now
        try:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(api_key).where(api_key.c.id == key_id).values(last_used_at=func.now())
                )
        except Exception as exc:  # a missed timestamp must not fail the request
            log.warning("could not record a key's last use", key_id=str(key_id), error=repr(exc))

    async def create(
        self, *, name: str, role: Role, customer_id: UUID | None = None
    ) -> tuple[str, UUID]:
        """Issue a key; the plain key is returned once and never stored."""
        key = generate_key()
        key_id = new_id()
        audit.note_target(key_id)  # the entry committed with the key names it
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

    async def list(self, *, include_revoked: bool, limit: int, offset: int) -> list[dict[str, Any]]:
        """Keys newest first, without digests (a listing never reveals a secret)."""
        query = select(*_LISTED).order_by(api_key.c.created_at.desc(), api_key.c.id.desc())
        if not include_revoked:
            query = query.where(api_key.c.revoked_at.is_(None))
        async with self._sessions() as session:
            rows = (await session.execute(query.limit(limit).offset(offset))).mappings().all()
        return [dict(r) for r in rows]

    async def get(self, key_id: UUID) -> dict[str, Any] | None:
        async with self._sessions() as session:
            row = (
                (await session.execute(select(*_LISTED).where(api_key.c.id == key_id)))
                .mappings()
                .one_or_none()
            )
        return dict(row) if row else None

    async def rotate(self, key_id: UUID, *, grace: timedelta) -> tuple[str, datetime] | None:
        """A new secret for an active key; the old one stays valid for ``grace``. None: no key."""
        key = generate_key()
        async with self._sessions() as session, session.begin():
            row = (
                await session.execute(
                    update(api_key)
                    .where(api_key.c.id == key_id, api_key.c.revoked_at.is_(None))
                    .values(
                        previous_digest=api_key.c.digest,
                        previous_valid_until=func.now() + grace,
                        digest=digest(key),
                        prefix=key_prefix(key),
                        rotated_at=func.now(),
                    )
                    .returning(api_key.c.previous_valid_until)
                )
            ).one_or_none()
            await _announce(session, key_id)
        self.forget()
        return None if row is None else (key, row.previous_valid_until)

    async def revoke(self, key_id: UUID) -> bool:
        """Revoke a key (and the secret in its rotation grace); False if there is no such key."""
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(api_key)
                .where(api_key.c.id == key_id, api_key.c.revoked_at.is_(None))
                .values(revoked_at=func.now())
                .returning(api_key.c.id)
            )
            revoked = result.scalar() is not None
            await _announce(session, key_id)
        self.forget()
        return revoked


async def _announce(session: AsyncSession, key_id: UUID) -> None:
    """Tell every replica a key changed; delivered when (and only if) the transaction commits."""
    await session.execute(
        text("SELECT pg_notify(:channel, :key)"), {"channel": CHANNEL, "key": str(key_id)}
    )


KEY_LISTENER = "key-change listener"  # its line in the gateway's connection budget


class KeyListener:
    """One connection per replica listening on :data:`CHANNEL`; keeps the store's cache honest.

    :meth:`run` checks the connection every ``check_seconds``: a dropped one is
    reconnected, and until then the store trusts its cache for a second only.
    """

    def __init__(self, engine: AsyncEngine, store: KeyStore, *, check_seconds: float = 0.5) -> None:
        self._target = target_of(engine)  # the engine's database, with its TLS settings
        self._store = store
        self._check_seconds = check_seconds
        self._conn: asyncpg.Connection | None = None

    async def ensure(self) -> None:
        """Listen, unless already listening on a live connection."""
        if self._conn is not None and not self._conn.is_closed():
            return
        self._store.listening = False
        await self.close()
        conn: asyncpg.Connection | None = None
        try:
            conn = await self._target.connect(timeout=5)
            await conn.add_listener(CHANNEL, self._notified)
        except Exception as exc:
            log.warning("cannot listen for key changes; caching 1 s", error=repr(exc))
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)
            return
        self._conn = conn
        self._store.forget()  # a change may have gone unheard while nobody listened
        self._store.listening = True

    def _notified(self, _conn: object, _pid: int, _channel: str, _payload: str) -> None:
        self._store.forget()

    async def run(self) -> None:
        """Keep listening until cancelled."""
        try:
            while True:
                await self.ensure()
                await asyncio.sleep(self._check_seconds)
        finally:
            await self.close()

    async def close(self) -> None:
        self._store.listening = False
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)
