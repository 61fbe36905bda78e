"""Delivery keys and Message-IDs: the identity that makes delivery exactly once per recipient.

A delivery is known by (source event id, recipient, channel, template); the same event
redelivered or replayed maps to the same key, and the unique index on it makes the second
plan a no-op. The email's Message-ID is derived from the key, so the one duplicate a crash
between the SMTP ``250`` and the commit can cause carries the same Message-ID and a
mail client shows it once.
"""

from __future__ import annotations

import hashlib
from uuid import UUID


def delivery_key(source_event_id: UUID | str, recipient: str, channel: str, template: str) -> str:
    """The idempotency key of one delivery (stable, readable, bounded in length)."""
    who = recipient.strip().lower()
    return f"{source_event_id}:{channel}:{template}:{who}"[:500]


def message_id(key: str, domain: str) -> str:
    """Our RFC 5322 Message-ID for the delivery ``key``: same key, same id."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def angle(message_ref: str) -> str:
    """A message id in angle brackets, as In-Reply-To and References want it."""
    ref = message_ref.strip()
    return ref if ref.startswith("<") else f"<{ref.strip('<>')}>"
