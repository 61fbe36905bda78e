"""The catalogue and the policy versions: what every tier is owed, as tickets were given it."""

from __future__ import annotations

from entitlement.domain.calendar import DEFAULT_CALENDAR_VERSION
from entitlement.domain.catalogue import CATALOGUE, DEFAULT_POLICY_VERSION
from entitlement.domain.entitlement import PolicyKey
from entitlement.domain.policy import default_policy, schedule_dict, split_version
from entitlement.readmodels import PolicyRead, TierRead
from entitlement.uow import UnitOfWork
from shared.errors import NotFound


def list_tiers() -> list[TierRead]:
    """Return the catalogue, highest tier first, with the default policy's schedules."""
    base = default_policy()
    return [
        TierRead.model_validate(spec.to_dict(schedule_dict(base.schedules[tier])))
        for tier, spec in sorted(CATALOGUE.items(), key=lambda item: item[1].priority)
    ]


async def get_policy(version: str, uow: UnitOfWork) -> PolicyRead:
    """Return any policy version this service ever handed out, composed ones included."""
    try:
        base, calendar_version, shortened = split_version(version)
    except ValueError:
        base, calendar_version, shortened = "", None, False
    found = None
    if base:
        key = PolicyKey(base, calendar_version or DEFAULT_CALENDAR_VERSION, shortened)
        async with uow:
            found = await uow.policies.effective(key)
    if found is None:
        raise NotFound(
            f"No policy version {version!r}; the default is {DEFAULT_POLICY_VERSION!r}, "
            "others are named in entitlement answers (policy_version).",
            slug="unknown-policy",
        )
    return found
