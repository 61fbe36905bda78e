"""SLA targets and policies: a ticket's policy snapshot turned into due dates.

The policy is entitlement's (tiers, schedules, targets, warning percentages) and the
ticket carries the snapshot it was admitted under; this module only reads it. The
severity is the served one: intake decided any cap at admission.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Literal, Self, cast, get_args

from shared.events.policy import (
    DEFAULT_WARNING_PERCENTS,
    CriticalResolutionStart,
    PolicyDocument,
)
from shared.events.vocabulary import Severity, Tier
from shared.worktime.schedule import Schedule, day_length
from shared.worktime.worktime import add_working_time, deadline, to_utc

__all__ = [
    "DueDates",
    "Policy",
    "Target",
    "TargetPair",
    "TargetUnit",
    "compute_due",
]

TargetUnit = Literal["s", "min", "h", "d"]
_UNITS: frozenset[str] = frozenset(get_args(TargetUnit))
_TARGET_TEXT = re.compile(r"\s*(\d+)\s*(min|h|d|s)\s*")


@dataclass(frozen=True)
class Target:
    """Hold one target as the rules write it: working minutes, hours or days.

    Seconds (``"5s"``) are not in the rules' table; they exist for contract policies that
    need very short targets (drills, end-to-end tests of the scheduler).
    """

    amount: int
    unit: TargetUnit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"target amount must be an integer, got {self.amount!r}")
        if self.amount < 0:
            raise ValueError(f"target amount must not be negative, got {self.amount}")
        if self.unit not in _UNITS:
            raise ValueError(f"target unit must be one of s, min, h, d; got {self.unit!r}")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse the rules' notation: ``"20min"``, ``"3h"``, ``"2d"`` (or ``"5s"``)."""
        match = _TARGET_TEXT.fullmatch(text)
        if match is None:
            raise ValueError(f"not a target: {text!r} (expected e.g. 20min, 3h, 2d or 5s)")
        return cls(amount=int(match[1]), unit=cast(TargetUnit, match[2]))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def duration(self, schedule: Schedule) -> timedelta:
        """Return the working time this target allows on ``schedule``.

        A ``d`` target counts full schedule days (rules, section 4): 9 hours each on the
        default 8x5, 24 hours on 24x7.
        """
        if self.unit == "s":
            return timedelta(seconds=self.amount)
        if self.unit == "min":
            return timedelta(minutes=self.amount)
        if self.unit == "h":
            return timedelta(hours=self.amount)
        return day_length(schedule) * self.amount


TargetPair = tuple[Target | None, Target | None]
"""``(response, resolution)``; ``None`` where the tier promises no target."""


def _target_or_none(value: str | None) -> Target | None:
    return None if value is None else Target.parse(value)


def _text_or_none(target: Target | None) -> str | None:
    return None if target is None else str(target)


@dataclass(frozen=True)
class Policy:
    """Hold a versioned SLA policy in the engine's form: schedules and parsed targets.

    Built from the ticket's :class:`~shared.events.policy.PolicyDocument`
    (:meth:`from_document`). Policies are compared by content but hashed by ``version``
    alone, so a version string must name exactly one content.
    """

    version: str
    schedules: Mapping[Tier, Schedule] = field(hash=False)
    targets: Mapping[tuple[Tier, Severity], TargetPair] = field(hash=False)
    warning_percents: tuple[int, ...] = field(default=DEFAULT_WARNING_PERCENTS, hash=False)
    # Where a critical ticket's resolution clock starts (a contract's choice, in v1 since
    # the premium services): at registration, or at the customer's phone confirmation.
    critical_resolution_starts: CriticalResolutionStart = field(
        default=CriticalResolutionStart.registration, hash=False
    )

    def __post_init__(self) -> None:
        # Copy into read-only mappings with enum keys: callers may pass plain strings, and
        # a frozen policy must not change under a clock that was computed from it.
        schedules = {Tier(tier): schedule for tier, schedule in self.schedules.items()}
        targets = {
            (Tier(tier), Severity(severity)): (response, resolution)
            for (tier, severity), (response, resolution) in self.targets.items()
        }
        missing = {tier for tier, _ in targets} - schedules.keys()
        if missing:
            raise ValueError(f"policy {self.version!r} has no schedule for {sorted(missing)}")
        object.__setattr__(self, "schedules", MappingProxyType(schedules))
        object.__setattr__(self, "targets", MappingProxyType(targets))
        object.__setattr__(self, "warning_percents", tuple(sorted(set(self.warning_percents))))

    @classmethod
    def custom(
        cls,
        *,
        version: str,
        schedule: Schedule,
        targets: Mapping[tuple[Tier, Severity], TargetPair],
    ) -> Self:
        """Build a contract-specific policy in which every tier runs on one schedule."""
        return cls(version=version, schedules=dict.fromkeys(Tier, schedule), targets=targets)

    @classmethod
    def from_document(cls, doc: PolicyDocument) -> Self:
        """Parse the policy a ticket carries (targets in the rules' notation).

        Raises:
            ValueError: a schedule or a target is not valid.
        """
        return cls(
            version=doc.version,
            schedules={tier: Schedule.from_dict(s.as_dict()) for tier, s in doc.schedules.items()},
            targets={
                (tier, severity): (
                    _target_or_none(pair.response),
                    _target_or_none(pair.resolution),
                )
                for tier, by_severity in doc.targets.items()
                for severity, pair in by_severity.items()
            },
            warning_percents=tuple(doc.warning_percents),
            critical_resolution_starts=doc.critical_resolution_starts,
        )

    def schedule_for(self, tier: Tier) -> Schedule:
        """Return the schedule on which ``tier``'s clocks run."""
        try:
            return self.schedules[tier]
        except KeyError:
            raise KeyError(f"policy {self.version!r} has no schedule for tier {tier}") from None

    def targets_for(self, tier: Tier, severity: Severity) -> TargetPair:
        """Return ``(response, resolution)`` for the tier and the served severity."""
        try:
            return self.targets[(tier, severity)]
        except KeyError:
            raise KeyError(
                f"policy {self.version!r} has no targets for {tier}/{severity}"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """Serialise in the :class:`PolicyDocument` shape (the snapshot of a clock)."""
        targets: dict[str, dict[str, dict[str, str | None]]] = {}
        for (tier, severity), (response, resolution) in self.targets.items():
            targets.setdefault(tier.value, {})[severity.value] = {
                "response": _text_or_none(response),
                "resolution": _text_or_none(resolution),
            }
        data: dict[str, Any] = {
            "version": self.version,
            "schedules": {tier.value: s.to_dict() for tier, s in self.schedules.items()},
            "targets": targets,
            "warning_percents": list(self.warning_percents),
        }
        if self.critical_resolution_starts is not CriticalResolutionStart.registration:
            data["critical_resolution_starts"] = self.critical_resolution_starts.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild a policy from ``to_dict`` output (or any policy document)."""
        return cls.from_document(PolicyDocument.model_validate(data))


@dataclass(frozen=True)
class DueDates:
    """Hold a ticket's computed deadlines and the facts they were computed from."""

    response_due: datetime | None
    resolution_due: datetime | None
    schedule: Schedule
    severity: Severity


def compute_due(
    policy: Policy,
    *,
    tier: Tier,
    severity: Severity,
    received_at: datetime,
    pauses: Sequence[tuple[datetime, datetime]] = (),
) -> DueDates:
    """Compute a ticket's response and resolution deadlines under ``policy``.

    ``severity`` is the one the ticket is served at (intake applied any cap). The
    response clock never pauses, so ``pauses`` only delay the resolution deadline.
    Recomputing after a tier or severity change is the same call with the new values,
    the original ``received_at`` and the pauses so far (rules, section 4).

    Raises:
        ValueError: a datetime is naive.
        KeyError: the policy has no schedule or targets for the tier and severity.
    """
    start = to_utc(received_at, "received_at")
    tier, severity = Tier(tier), Severity(severity)
    schedule = policy.schedule_for(tier)
    response, resolution = policy.targets_for(tier, severity)
    response_due = (
        None if response is None else add_working_time(schedule, start, response.duration(schedule))
    )
    resolution_due = (
        None
        if resolution is None
        else deadline(schedule, start, target_duration=resolution.duration(schedule), pauses=pauses)
    )
    return DueDates(
        response_due=response_due,
        resolution_due=resolution_due,
        schedule=schedule,
        severity=severity,
    )
