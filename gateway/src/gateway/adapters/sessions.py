"""The web sign-in tables: sessions, one-time tokens, sign-in attempts and staff passwords.

A session looked up once is trusted for ``cache_seconds`` (5 s) in this replica: a
logout here forgets it at once, a logout on another replica reaches this one within
that time. Its last use moves its idle deadline at most once per ``touch_seconds``,
so the hot path pays no write per request. Attempts are counted in the database,
not in memory, so every replica sees the same per-address and per-IP limits.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Table,
    Text,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import UUID as PgUUID, insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.adapters.keys import metadata
from gateway.sessions import Kind, Lifetimes, Purpose, WebSession, digest, idle_expiry, new_token
from shared.auth import Role
from shared.events.base import new_id

# How long an ended session or a spent token is kept (for a look at recent sign-ins).
KEPT_AFTER_END = timedelta(days=1)

web_session = Table(
    "web_session",
    metadata,
    Column("id", PgUUID(as_uuid=True), primary_key=True),
    Column("token_digest", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("customer_id", PgUUID(as_uuid=True)),
    Column("name", Text, nullable=False),
    Column("csrf_token", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_seen_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("idle_expires_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

one_time_token = Table(
    "one_time_token",
    metadata,
    Column("digest", Text, primary_key=True),
    Column("purpose", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

sign_in_attempt = Table(
    "sign_in_attempt",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("scope", Text, nullable=False),
    Column("key_digest", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

staff_account = Table(
    "staff_account",
    metadata,
    Column("staff_id", PgUUID(as_uuid=True), primary_key=True),
    Column("email", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def _session(row: object) -> WebSession:
    r = row._mapping  # type: ignore[attr-defined]
    return WebSession(
        id=r["id"],
        kind=Kind(r["kind"]),
        subject=r["subject"],
        role=Role(r["role"]),
        customer_id=r["customer_id"],
        name=r["name"],
        csrf_token=r["csrf_token"],
        created_at=r["created_at"],
        last_seen_at=r["last_seen_at"],
        idle_expires_at=r["idle_expires_at"],
        expires_at=r["expires_at"],
        revoked_at=r["revoked_at"],
    )


class SessionStore:
    """Creates, finds (with a short cache), keeps alive and revokes browser sessions."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        lifetimes: Lifetimes,
        cache_seconds: float = 5.0,
        touch_seconds: float = 60.0,
    ) -> None:
        self._sessions = sessions
        self.lifetimes = lifetimes
        self._cache_seconds = cache_seconds
        self._touch_seconds = touch_seconds
        self._cache: dict[str, tuple[float, WebSession | None]] = {}

    async def create(
        self, *, kind: Kind, subject: str, role: Role, customer_id: UUID | None, name: str
    ) -> tuple[str, WebSession]:
        """A new session; the cookie's token is returned once and never stored."""
        token = new_token()
        async with self._sessions() as session, session.begin():
            # Sign-ins are rare: each clears what ended over a day ago, so the table stays small.
            await session.execute(
                delete(web_session).where(
                    or_(
                        web_session.c.expires_at < func.now() - KEPT_AFTER_END,
                        web_session.c.idle_expires_at < func.now() - KEPT_AFTER_END,
                        web_session.c.revoked_at < func.now() - KEPT_AFTER_END,
                    )
                )
            )
            row = (
                await session.execute(
                    insert(web_session)
                    .values(
                        id=new_id(),
                        token_digest=digest(token),
                        kind=kind,
                        subject=subject,
                        role=role,
                        customer_id=customer_id,
                        name=name,
                        csrf_token=new_token(),
                        idle_expires_at=func.now() + self.lifetimes.idle,
                        expires_at=func.now() + self.lifetimes.absolute,
                    )
                    .returning(web_session)
                )
            ).one()
        return token, _session(row)

    async def find(self, token: str, now: datetime) -> WebSession | None:
        """The live session behind a cookie's token, or None (unknown, revoked, expired)."""
        key = digest(token)
        clock = time.monotonic()
        cached = self._cache.get(key)
        if cached and cached[0] + self._cache_seconds > clock:
            found = cached[1]
        else:
            async with self._sessions() as session:
                row = (
                    await session.execute(
                        select(web_session).where(web_session.c.token_digest == key)
                    )
                ).one_or_none()
            found = _session(row) if row is not None else None
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (clock, found)
        if found is None or not found.live(now):
            return None
        if (now - found.last_seen_at).total_seconds() >= self._touch_seconds:
            found = await self._touch(key, found, now)
        return found

    async def _touch(self, key: str, found: WebSession, now: datetime) -> WebSession:
        """Move the idle deadline on after a use (at most once per ``touch_seconds``)."""
        idle = idle_expiry(now, self.lifetimes, found.expires_at)
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(web_session)
                .where(web_session.c.id == found.id)
                .values(last_seen_at=now, idle_expires_at=idle)
            )
        touched = replace(found, last_seen_at=now, idle_expires_at=idle)
        self._cache[key] = (time.monotonic(), touched)
        return touched

    async def revoke(self, session_id: UUID) -> None:
        """End a session on the server (logout); its cookie is refused from now on."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(web_session)
                .where(web_session.c.id == session_id, web_session.c.revoked_at.is_(None))
                .values(revoked_at=func.now())
            )
        self._cache = {k: v for k, v in self._cache.items() if not v[1] or v[1].id != session_id}

    async def revoke_subject(self, kind: Kind, subject: str) -> None:
        """End every session of one person (access lost)."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(web_session)
                .where(
                    web_session.c.kind == kind,
                    web_session.c.subject == subject,
                    web_session.c.revoked_at.is_(None),
                )
                .values(revoked_at=func.now())
            )
        self._cache.clear()


class TokenStore:
    """One-time tokens (sign-in links, invitations): issued as digests, consumed once."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def issue(
        self,
        *,
        purpose: Purpose,
        subject: str,
        email: str,
        valid_for: timedelta,
        token: str | None = None,
    ) -> str:
        """A new token (or ``token``, made by the caller); only its digest is stored."""
        token = token or new_token()
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(one_time_token).where(
                    one_time_token.c.expires_at < func.now() - KEPT_AFTER_END
                )
            )
            await session.execute(
                insert(one_time_token).values(
                    digest=digest(token),
                    purpose=purpose,
                    subject=subject,
                    email=email,
                    expires_at=func.now() + valid_for,
                )
            )
        return token

    async def peek(self, purpose: Purpose, token: str) -> tuple[str, str] | None:
        """(subject, email) of an unused, unexpired token, without using it (a form's GET)."""
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(one_time_token.c.subject, one_time_token.c.email).where(
                        one_time_token.c.digest == digest(token),
                        one_time_token.c.purpose == purpose,
                        one_time_token.c.used_at.is_(None),
                        one_time_token.c.expires_at > func.now(),
                    )
                )
            ).one_or_none()
        return None if row is None else (row.subject, row.email)

    async def consume(self, purpose: Purpose, token: str) -> tuple[str, str] | None:
        """Use a token: (subject, email) the first time, before it expires; None otherwise.

        One UPDATE ... WHERE used_at IS NULL: of two concurrent uses, one wins.
        """
        async with self._sessions() as session, session.begin():
            row = (
                await session.execute(
                    update(one_time_token)
                    .where(
                        one_time_token.c.digest == digest(token),
                        one_time_token.c.purpose == purpose,
                        one_time_token.c.used_at.is_(None),
                        one_time_token.c.expires_at > func.now(),
                    )
                    .values(used_at=func.now())
                    .returning(one_time_token.c.subject, one_time_token.c.email)
                )
            ).one_or_none()
        return None if row is None else (row.subject, row.email)


class AttemptLog:
    """Sign-in attempts per address or IP, counted over a window, shared by all replicas."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, keys: dict[str, str], *, window: timedelta) -> dict[str, int]:
        """Record one attempt under each ``scope: key`` and return each one's count in the
        window (this attempt included); rows older than the window are dropped."""
        counts: dict[str, int] = {}
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(sign_in_attempt).where(sign_in_attempt.c.at < func.now() - window)
            )
            for scope, key in keys.items():
                await session.execute(
                    insert(sign_in_attempt).values(scope=scope, key_digest=digest(key))
                )
                counts[scope] = (
                    await session.scalar(
                        select(func.count()).where(
                            sign_in_attempt.c.scope == scope,
                            sign_in_attempt.c.key_digest == digest(key),
                            sign_in_attempt.c.at >= func.now() - window,
                        )
                    )
                ) or 0
        return counts


class AccountStore:
    """Staff members' passwords (argon2 hashes), keyed by staff id, found by email."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def set_password(self, *, staff_id: UUID, email: str, password_hash: str) -> None:
        """Create or replace a staff member's account."""
        statement = pg_insert(staff_account).values(
            staff_id=staff_id, email=email, password_hash=password_hash
        )
        async with self._sessions() as session, session.begin():
            # Another account holding the address (a re-used email) gives it up.
            await session.execute(
                delete(staff_account).where(
                    staff_account.c.email == email, staff_account.c.staff_id != staff_id
                )
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["staff_id"],
                    set_={"email": email, "password_hash": password_hash, "updated_at": func.now()},
                )
            )

    async def by_email(self, email: str) -> tuple[UUID, str] | None:
        """(staff id, password hash) of the account with this address."""
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(staff_account.c.staff_id, staff_account.c.password_hash).where(
                        staff_account.c.email == email
                    )
                )
            ).one_or_none()
        return None if row is None else (row.staff_id, row.password_hash)
