"""API keys: issued once, stored as SHA-256 digests, looked up by digest.

A key is ``sd_<prefix>_<secret>``; only its digest is stored, so a database leak
reveals no usable key. High-entropy keys need no slow KDF, and a plain digest
can be looked up through a unique index (see the reliability reference, API2).
The table and the store are in :mod:`gateway.adapters.keys`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from uuid import UUID

from shared.auth import Role


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
