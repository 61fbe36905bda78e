"""The one place a PostgreSQL URL becomes connections: the engine's and direct asyncpg ones.

A ``DATABASE_URL`` may carry libpq's TLS parameters (``sslmode``, ``sslrootcert``,
``sslcert``, ``sslkey``, ``sslpassword``). SQLAlchemy's asyncpg dialect would pass
them to ``asyncpg.connect`` as keyword arguments it does not take, and asyncpg's DSN
parser reads them with its own defaults; so this module takes them out of the URL,
builds one ``ssl`` argument from them with libpq's meaning, and hands that same
argument to the engine (``connect_args``) and to every direct connection (LISTEN
listeners, the delivery worker, the entitlement cache, database creation). Every
connection of the platform therefore checks the server the same way.

What each mode checks (as libpq): ``disable`` plain; ``allow``/``prefer`` TLS if the
server offers it, no certificate check; ``require`` TLS, no check unless
``sslrootcert`` is given (then the chain, as libpq does); ``verify-ca`` TLS and the
chain up to ``sslrootcert``; ``verify-full`` also the host name (or IP) in the URL.
A URL without TLS parameters is left to asyncpg's defaults (``PGSSLMODE``, else
``prefer``), the same for both kinds of connection.
"""

from __future__ import annotations

import ssl
import weakref
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.settings import asyncpg_url

# Query parameters this module consumes; ``ssl`` is SQLAlchemy's own spelling of sslmode.
TLS_PARAMETERS = ("sslmode", "ssl", "sslrootcert", "sslcert", "sslkey", "sslpassword")


class SslMode(StrEnum):
    """libpq's ``sslmode`` values, weakest first."""

    disable = "disable"
    allow = "allow"
    prefer = "prefer"
    require = "require"
    verify_ca = "verify-ca"
    verify_full = "verify-full"


SslArgument = ssl.SSLContext | str | bool | None


@dataclass(frozen=True)
class PgTarget:
    """Where to connect (without the TLS parameters) and the ``ssl`` argument to use."""

    url: str  # postgresql+asyncpg://..., for SQLAlchemy
    mode: SslMode | None  # None: the URL said nothing; asyncpg's defaults apply
    ssl: SslArgument

    @property
    def dsn(self) -> str:
        """The URL as plain ``postgresql://``, for ``asyncpg.connect``."""
        return make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)

    def connect_args(self) -> dict[str, Any]:
        """SQLAlchemy's ``connect_args``: the ``ssl`` argument, when the URL gave one."""
        return {} if self.ssl is None else {"ssl": self.ssl}

    async def connect(self, *, timeout: float = 60) -> asyncpg.Connection:
        """A direct asyncpg connection, with the same TLS as the engine's."""
        return await asyncpg.connect(self.dsn, timeout=timeout, **self.connect_args())


def _one(value: str | tuple[str, ...]) -> str:
    return value[-1] if isinstance(value, tuple) else value


def parse(url: str) -> PgTarget:
    """Split ``url`` into the URL SQLAlchemy and asyncpg get and the ``ssl`` argument."""
    parsed = make_url(asyncpg_url(url))
    query = {k: _one(v) for k, v in parsed.query.items() if k in TLS_PARAMETERS}
    stripped = parsed.difference_update_query(TLS_PARAMETERS).render_as_string(hide_password=False)
    if "sslmode" in query and "ssl" in query and query["sslmode"] != query["ssl"]:
        raise ValueError("the database URL gives both sslmode and ssl, with different values")
    raw_mode = query.pop("sslmode", None) or query.pop("ssl", None)
    query.pop("ssl", None)
    if raw_mode is None:
        if query:
            raise ValueError(
                f"the database URL gives {', '.join(sorted(query))} without sslmode; "
                "add sslmode=verify-full (or require, verify-ca)"
            )
        return PgTarget(url=stripped, mode=None, ssl=None)
    try:
        mode = SslMode(raw_mode.lower())
    except ValueError:
        modes = ", ".join(m.value for m in SslMode)
        raise ValueError(f"sslmode={raw_mode!r} is not one of {modes}") from None
    return PgTarget(url=stripped, mode=mode, ssl=ssl_argument(mode, **query))


def ssl_argument(
    mode: SslMode,
    *,
    sslrootcert: str | None = None,
    sslcert: str | None = None,
    sslkey: str | None = None,
    sslpassword: str | None = None,
) -> SslArgument:
    """asyncpg's ``ssl`` argument for ``mode``, checking what libpq checks."""
    if mode is SslMode.disable:
        return False
    if mode in (SslMode.allow, SslMode.prefer):
        if sslrootcert or sslcert:
            # asyncpg falls back to plain text only with an unchecked context; a file given
            # here would look like a check that never happens.
            raise ValueError(
                f"sslmode={mode} never checks certificates here; use sslmode=require, "
                "verify-ca or verify-full with sslrootcert/sslcert"
            )
        return mode.value  # asyncpg tries TLS and falls back, as libpq does
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = mode is SslMode.verify_full
    root = _root_certificate(mode, sslrootcert)
    if root is None:
        context.verify_mode = ssl.CERT_NONE  # require without a CA: encrypt, check nothing
    elif root == "system":
        context.load_default_certs()
        context.verify_mode = ssl.CERT_REQUIRED
    else:
        context.load_verify_locations(cafile=root)
        context.verify_mode = ssl.CERT_REQUIRED
    if sslcert:
        context.load_cert_chain(sslcert, keyfile=sslkey, password=sslpassword)
    elif sslkey:
        raise ValueError("sslkey without sslcert: give the client certificate too")
    return context


def _root_certificate(mode: SslMode, given: str | None) -> str | None:
    """The CA file to check the server against; None for ``require`` without one."""
    if given:
        return given
    default = Path.home() / ".postgresql" / "root.crt"  # libpq's default location
    if default.is_file():
        return str(default)
    if mode is SslMode.require:
        return None
    raise ValueError(
        f"sslmode={mode} needs the CA that signed the server's certificate: "
        f"add sslrootcert=/path/to/ca.crt (or sslrootcert=system) to the database URL"
    )


# Engines made here, with the target they connect to: the relay's LISTEN connection is
# opened from its engine, whose URL no longer holds the TLS parameters.
_TARGETS: weakref.WeakKeyDictionary[Any, PgTarget] = weakref.WeakKeyDictionary()


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """An async engine whose connections use the URL's TLS settings (pool options as given)."""
    target = parse(url)
    connect_args = {**options.pop("connect_args", {}), **target.connect_args()}
    engine = create_async_engine(target.url, connect_args=connect_args, **options)
    _TARGETS[engine.sync_engine] = target
    return engine


def target_of(engine: AsyncEngine) -> PgTarget:
    """The target ``engine`` connects to (its URL's, for an engine not made here)."""
    known = _TARGETS.get(engine.sync_engine)
    if known is not None:
        return known
    return parse(engine.url.render_as_string(hide_password=False))


async def connect(url: str, *, timeout: float = 60) -> asyncpg.Connection:
    """A direct asyncpg connection to ``url``, with its TLS settings."""
    return await parse(url).connect(timeout=timeout)
