"""Immutable documents by version (policies, calendars), loaded once per process.

A version names one content forever, so these caches never need invalidating: a
change is a *new* version, which is simply a cache miss.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import calendar, policy
from entitlement.domain.calendar import DEFAULT_CALENDAR_VERSION, CalendarOverrides
from entitlement.domain.catalogue import DEFAULT_POLICY_VERSION
from entitlement.domain.policy import default_policy, effective_policy
from shared.events.policy import PolicyDocument

_MAX_ENTRIES = 10_000
_DEFAULT_POLICY = default_policy()
_base: dict[str, PolicyDocument] = {DEFAULT_POLICY_VERSION: _DEFAULT_POLICY}
_calendars: dict[str, CalendarOverrides] = {DEFAULT_CALENDAR_VERSION: CalendarOverrides()}
_effective: dict[tuple[str, str, bool], PolicyDocument] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()  # crude bound; entries are cheap to reload
    cache[key] = value


async def base_policy(session: AsyncSession, version: str) -> PolicyDocument | None:
    """Return the stored (or built-in) base policy ``version``, or None."""
    found = _base.get(version)
    if found is None:
        document = await session.scalar(
            select(policy.c.document).where(policy.c.version == version)
        )
        if document is None:
            return None
        found = PolicyDocument.model_validate(document)
        if version != DEFAULT_POLICY_VERSION:
            _remember(_base, version, found)
    return found


async def calendar_overrides(session: AsyncSession, version: str) -> CalendarOverrides | None:
    """Return the overrides of calendar ``version`` ("default" has none), or None."""
    found = _calendars.get(version)
    if found is None:
        raw = await session.scalar(
            select(calendar.c.overrides).where(calendar.c.version == version)
        )
        if raw is None:
            return None
        found = CalendarOverrides.from_dict(raw)
        _remember(_calendars, version, found)
    return found


def peek(*, base_version: str, calendar_version: str, shortened: bool) -> PolicyDocument | None:
    """Return the effective policy if this process already built it (no I/O)."""
    return _effective.get((base_version, calendar_version, shortened))


async def effective(
    session: AsyncSession, *, base_version: str, calendar_version: str, shortened: bool
) -> PolicyDocument | None:
    """Return the policy a ticket registers with; None if a part's version is unknown."""
    key = (base_version, calendar_version, shortened)
    found = _effective.get(key)
    if found is None:
        base = await base_policy(session, base_version)
        overrides = await calendar_overrides(session, calendar_version)
        if base is None or overrides is None:
            return None
        found = effective_policy(
            base,
            calendar_version=calendar_version,
            overrides=None if overrides.is_default else overrides,
            shortened=shortened,
        )
        _remember(_effective, key, found)
    return found
