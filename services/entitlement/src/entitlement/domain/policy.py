"""Versioned SLA policies: per-tier schedules, targets, warnings and severity caps.

Every policy leaves this service as a :class:`shared.events.policy.PolicyDocument`, the
snapshot a ticket carries from admission on; entitlement is the one writer of its numbers.

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
from collections.abc import Mapping, Sequence
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
    SEVERITY_CAPS,
    WARNING_PERCENTS,
    Severity,
    Tier,
)
from shared.events.policy import (
    CriticalResolutionStart,
    PolicyDocument,
    ScheduleDocument,
    TargetsDocument,
)

# sla-clock counts s, min, h and d (seconds serve tests and drills with tiny targets).
_TARGET = re.compile(r"([0-9]+)(min|h|d|s)")
# The longest target a policy may set: a leap year, in each unit sla-clock counts.
MAX_TARGET = {"d": 366, "h": 366 * 24, "min": 366 * 24 * 60, "s": 366 * 24 * 3600}
_CAL_PREFIX = "cal."
_SHORT = "short"

TargetText = str | None


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


def default_policy() -> PolicyDocument:
    """Return the programme's policy: section 2 schedules, section 4 targets, warnings, caps."""
    return PolicyDocument(
        version=DEFAULT_POLICY_VERSION,
        schedules={
            tier: _schedule(
                business_hours() if spec.schedule == EIGHT_FIVE else twenty_four_seven()
            )
            for tier, spec in CATALOGUE.items()
        },
        targets={
            tier: {
                severity: TargetsDocument(response=response, resolution=resolution)
                for severity, (response, resolution) in spec.targets.items()
            }
            for tier, spec in CATALOGUE.items()
        },
        warning_percents=list(WARNING_PERCENTS),
        severity_caps=dict(SEVERITY_CAPS),
    )


def contract_policy(
    *,
    version: str,
    tier: Tier,
    base: PolicyDocument,
    targets: Mapping[Severity, tuple[TargetText, TargetText]] | None = None,
    schedule: Mapping[str, Any] | None = None,
    warning_percents: Sequence[int] | None = None,
    critical_resolution_starts: CriticalResolutionStart | None = None,
) -> PolicyDocument:
    """Return ``base`` with the contract tier's targets, schedule, warnings or start replaced.

    Raises:
        ValueError: a target is not in the rules' notation, or a warning percentage does
            not lie strictly between 0 and 100.
    """
    tier_targets = dict(base.targets[tier])
    for severity, (response, resolution) in (targets or {}).items():
        tier_targets[severity] = TargetsDocument(
            response=check_target(response), resolution=check_target(resolution)
        )
    schedules = dict(base.schedules)
    if schedule is not None:
        schedules[tier] = _schedule(schedule)
    percents = base.warning_percents if warning_percents is None else list(warning_percents)
    if any(not 0 < p < 100 for p in percents):
        raise ValueError("warning percents must lie strictly between 0 and 100")
    return base.model_copy(
        update={
            "version": version,
            "schedules": schedules,
            "targets": {**base.targets, tier: tier_targets},
            "warning_percents": sorted(set(percents)),
            "critical_resolution_starts": critical_resolution_starts
            or base.critical_resolution_starts,
        }
    )


def schedule_dict(schedule: ScheduleDocument) -> dict[str, Any]:
    """Return a schedule as the calendar arithmetic reads it (every key, nulls included)."""
    return schedule.model_dump(mode="json")


def _schedule(doc: Mapping[str, Any]) -> ScheduleDocument:
    return ScheduleDocument.model_validate(doc)


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
    base: PolicyDocument,
    *,
    calendar_version: str | None,
    overrides: CalendarOverrides | None,
    shortened: bool,
) -> PolicyDocument:
    """Return ``base`` with every tier's schedule following the customer's calendar."""
    return base.model_copy(
        update={
            "version": compose_version(
                base.version, calendar_version=calendar_version, shortened=shortened
            ),
            "schedules": {
                tier: _schedule(
                    apply_overrides(schedule_dict(schedule), overrides, shortened=shortened)
                )
                for tier, schedule in base.schedules.items()
            },
        }
    )
