"""Versioned SLA policies: per-tier schedules and targets, as sla-clock's ``Policy.to_dict``.

A policy version names exactly one content, forever: the default one is the rules'
section 4 table (``default-2026.1``); a contract with its own terms gets
``contract-<id>``. What a ticket is registered with is the *effective* policy: the base
policy with the customer's calendar overrides and the contract's pre-holiday option
applied. Its version is composed from the parts' versions
(``default-2026.1+cal.<customer>.<n>+short``), so it too names one content, and
:func:`split_version` takes it apart again to serve any version ever handed out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from entitlement.domain.calendar import (
    DEFAULT_CALENDAR_VERSION,
    CalendarOverrides,
    apply_overrides,
    business_hours,
    twenty_four_seven,
)
from entitlement.domain.catalogue import (
    CATALOGUE,
    DEFAULT_POLICY_VERSION,
    EIGHT_FIVE,
    Severity,
    Tier,
)

# sla-clock counts s, min, h and d (seconds serve tests and drills with tiny targets).
_TARGET = re.compile(r"([0-9]+)(min|h|d|s)")
# The longest target a policy may set: a leap year, in each unit sla-clock counts.
MAX_TARGET = {"d": 366, "h": 366 * 24, "min": 366 * 24 * 60, "s": 366 * 24 * 3600}
_CAL_PREFIX = "cal."
_SHORT = "short"

TargetText = str | None
Targets = dict[str, dict[str, dict[str, TargetText]]]


def check_target(text: str | None) -> str | None:
    """Return a target in the rules' notation (``20min``, ``3h``, ``2d``; also ``30s``) or None.

    A target is at most a leap year long: 366d, 8784h, 527040min or 31622400s.

    Raises:
        ValueError: the text is not such a target, or it is longer than a year.
    """
    if text is None:
        return None
    cleaned = text.strip()
    match = _TARGET.fullmatch(cleaned)
    if not match:
        raise ValueError(f"not a target: {text[:50]!r}; write e.g. 20min, 3h or 2d")
    amount, unit = int(match[1]), match[2]
    if amount > MAX_TARGET[unit]:
        raise ValueError(
            f"target {cleaned!r} is longer than a year; a target is at most "
            f"{MAX_TARGET[unit]}{unit} (366d, 8784h, 527040min or 31622400s)"
        )
    return cleaned


def default_policy() -> dict[str, Any]:
    """Return the rules' policy: section 2 schedules, section 4 targets."""
    return {
        "version": DEFAULT_POLICY_VERSION,
        "schedules": {
            tier.value: business_hours() if spec.schedule == EIGHT_FIVE else twenty_four_seven()
            for tier, spec in CATALOGUE.items()
        },
        "targets": {tier.value: spec.targets_dict() for tier, spec in CATALOGUE.items()},
    }


def contract_policy(
    *,
    version: str,
    tier: Tier,
    base: Mapping[str, Any],
    targets: Mapping[Severity, tuple[TargetText, TargetText]] | None = None,
    schedule: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return ``base`` with the contract tier's targets and/or schedule replaced."""
    doc = deepcopy(dict(base))
    doc["version"] = version
    for severity, (response, resolution) in (targets or {}).items():
        doc["targets"][tier.value][severity.value] = {
            "response": check_target(response),
            "resolution": check_target(resolution),
        }
    if schedule is not None:
        doc["schedules"][tier.value] = dict(schedule)
    return doc


def compose_version(base_version: str, *, calendar_version: str | None, shortened: bool) -> str:
    """Return the version of a base policy as it runs on a calendar, maybe shortened."""
    version = base_version
    if calendar_version and calendar_version != DEFAULT_CALENDAR_VERSION:
        version += f"+{_CAL_PREFIX}{calendar_version}"
    if shortened:
        version += f"+{_SHORT}"
    return version


def split_version(version: str) -> tuple[str, str | None, bool]:
    """Take an effective version apart: ``(base, calendar version or None, shortened)``.

    Raises:
        ValueError: the version is not one this service composes.
    """
    base, *parts = version.split("+")
    calendar: str | None = None
    shortened = False
    for part in parts:
        if part.startswith(_CAL_PREFIX) and calendar is None and not shortened:
            calendar = part[len(_CAL_PREFIX) :]
        elif part == _SHORT and not shortened:
            shortened = True
        else:
            raise ValueError(f"not a policy version: {version!r}")
    if not base:
        raise ValueError(f"not a policy version: {version!r}")
    return base, calendar, shortened


def effective_policy(
    base: Mapping[str, Any],
    *,
    calendar_version: str | None,
    overrides: CalendarOverrides | None,
    shortened: bool,
) -> dict[str, Any]:
    """Return ``base`` with every tier's schedule following the customer's calendar."""
    return {
        "version": compose_version(
            str(base["version"]), calendar_version=calendar_version, shortened=shortened
        ),
        "schedules": {
            tier: apply_overrides(schedule, overrides, shortened=shortened)
            for tier, schedule in base["schedules"].items()
        },
        "targets": deepcopy(base["targets"]),
    }
