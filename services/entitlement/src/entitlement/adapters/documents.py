"""Immutable documents by version (policies, calendars), loaded once per process.

A version names one content forever, so these caches never need invalidating: a
change is a *new* version, which is simply a cache miss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from entitlement.adapters.orm import calendar, policy
from entitlement.domain.calendar import DEFAULT_CALENDAR_VERSION, CalendarOverrides
from entitlement.domain.catalogue import DEFAULT_POLICY_VERSION
from entitlement.domain.entitlement import PolicyKey
from entitlement.domain.policy import default_policy, effective_policy
from shared.events.policy import PolicyDocument

T = TypeVar("T")

_MAX_ENTRIES = 10_000
_base: dict[str, PolicyDocument] = {DEFAULT_POLICY_VERSION: default_policy()}
_calendars: dict[str, CalendarOverrides] = {DEFAULT_CALENDAR_VERSION: CalendarOverrides()}
_effective: dict[PolicyKey, PolicyDocument] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()  # crude bound; entries are cheap to reload
    cache[key] = value


class PolicyRepository:
    """Stores contract policies; reads base policies, calendars and effective policies."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, document: PolicyDocument, *, contract_id: UUID) -> None:
        """Store a contract's own policy under its version."""
        await self._session.execute(
            insert(policy).values(
                version=document.version,
                contract_id=contract_id,
                document=document.model_dump(mode="json"),
            )
        )

    async def _load(
        self, cache: dict[str, T], column: Any, version: str, parse: Callable[[Any], T]
    ) -> T | None:
        """Return ``version`` from ``cache``, else from ``column`` of its table (then cached)."""
        found = cache.get(version)
        if found is None:
            raw = await self._session.scalar(
                select(column).where(column.table.c.version == version)
            )
            if raw is None:
                return None
            found = parse(raw)
            _remember(cache, version, found)
        return found

    async def base(self, version: str) -> PolicyDocument | None:
        """Return the stored (or built-in) base policy ``version``, or None."""
        return await self._load(_base, policy.c.document, version, PolicyDocument.model_validate)

    async def calendar_overrides(self, version: str) -> CalendarOverrides | None:
        """Return the overrides of calendar ``version`` ("default" has none), or None."""
        return await self._load(
            _calendars, calendar.c.overrides, version, CalendarOverrides.from_dict
        )

    async def effective(self, key: PolicyKey) -> PolicyDocument | None:
        """Return the policy a ticket registers with; None if a part's version is unknown.

        Answered from memory when this process built it before (no I/O).
        """
        found = _effective.get(key)
        if found is None:
            base = await self.base(key.base_version)
            overrides = await self.calendar_overrides(key.calendar_version)
            if base is None or overrides is None:
                return None
            found = effective_policy(
                base,
                calendar_version=key.calendar_version,
                overrides=None if overrides.is_default else overrides,
                shortened=key.shortened,
            )
            _remember(_effective, key, found)
        return found
