"""When intake may answer an entitlement check from its own read model (pure rules).

The read model holds entitlement's answer per customer as of the customer's latest
change (its ``version``), and each contact's address and state as of the same counter.
Entitlement announces every change twice: the event on ``support.contracts.v1`` that
feeds the model, and at commit a signal with the customer's new version
(``shared.events.contracts.CHANGE_CHANNEL``), which arrives within milliseconds while the
event may take a consumer's fetch. An answer is used only when nothing says it is old:
otherwise intake asks entitlement, as it did for every ticket before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Fallback(StrEnum):
    """Why a check went to entitlement instead of the read model (a metric's label)."""

    unknown = "unknown"  # no active contact (or customer) with this key: maybe not seen yet
    ambiguous = "ambiguous"  # two customers' active contacts: a move not applied everywhere
    no_answer = "no_answer"  # the customer's events carried no answer (older entitlement)
    signal_down = "signal_down"  # the change signal is not listened to, or just reconnected
    behind = "behind"  # a change was signalled that the model has not applied yet
    expired = "expired"  # a contract started or ended, or the warranty ended, since


@dataclass(frozen=True)
class Viewed:
    """One read-model row: a contact (or none, for a customer check) and its customer."""

    customer_id: UUID
    contact_id: UUID | None
    version: int
    answer: Mapping[str, Any] | None
    valid_until: datetime | None


def choose(
    found: Sequence[Viewed],
    *,
    signalled: Mapping[UUID, int],
    signal_live: bool,
    now: datetime,
) -> Viewed | Fallback:
    """Return the row to answer from, or why entitlement must be asked.

    ``signalled`` holds the highest version announced per customer since the signal was
    last (re)connected; ``signal_live`` is false while it is down or settling, because a
    change announced meanwhile would be missed.
    """
    if not found:
        return Fallback.unknown
    if len({row.customer_id for row in found}) > 1:
        return Fallback.ambiguous
    row = found[0]
    if not signal_live:
        return Fallback.signal_down
    if row.version < signalled.get(row.customer_id, 0):
        return Fallback.behind
    if row.answer is None:
        return Fallback.no_answer
    if row.valid_until is not None and now >= row.valid_until:
        return Fallback.expired
    return row
