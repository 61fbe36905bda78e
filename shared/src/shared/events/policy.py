"""The SLA policy as it travels: what entitlement writes and sla-clock reads.

A ticket carries the policy it was admitted under (``ticket.created.policy``), so the
clock never asks anyone what the targets were: it reads them from the ticket. The JSON
is the shape these events have always carried; the warning percentages were added
within v1 (optional, defaulting to the programme's 50, 75 and 90 per cent).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.events.vocabulary import Severity, Tier

__all__ = [
    "DEFAULT_WARNING_PERCENTS",
    "CriticalResolutionStart",
    "PolicyDocument",
    "ScheduleDocument",
    "TargetsDocument",
]

_ABSENT: Any = Field(default=None, exclude_if=lambda value: value is None)

DEFAULT_WARNING_PERCENTS: tuple[int, ...] = (50, 75, 90)
"""When the desk is warned, as a share of a target's working time gone."""


class CriticalResolutionStart(StrEnum):
    """When a critical ticket's resolution clock starts, chosen per contract."""

    registration = "registration"
    confirmation = "confirmation"


class ScheduleDocument(BaseModel):
    """A working schedule on the wire (``shared.worktime.Schedule.to_dict``).

    A key the writer left out stays out when the document is written again (the JSON these
    events always carried), so the reader's defaults apply rather than explicit nulls.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: str
    timezone: str | None = _ABSENT
    opens: str | None = _ABSENT
    closes: str | None = _ABSENT
    breaks: list[list[str]] | None = _ABSENT
    weekdays: list[int] | None = _ABSENT
    extra_days_off: list[str] | None = _ABSENT
    extra_working_days: list[str] | None = _ABSENT
    shortened_pre_holidays: bool | None = _ABSENT
    country: str | None = _ABSENT

    def as_dict(self) -> dict[str, Any]:
        """The fields the writer sent, for ``shared.worktime.Schedule.from_dict``."""
        return self.model_dump(mode="json")


class TargetsDocument(BaseModel):
    """One severity's targets in the rules' notation (``"20min"``, ``"3h"``, ``"2d"``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    response: str | None = None
    resolution: str | None = None


class PolicyDocument(BaseModel):
    """A versioned SLA policy: a schedule per tier, targets per tier and severity."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: str
    schedules: dict[Tier, ScheduleDocument]
    targets: dict[Tier, dict[Severity, TargetsDocument]]
    warning_percents: list[int] = Field(default_factory=lambda: list(DEFAULT_WARNING_PERCENTS))
    # The highest severity a tier is served at (basic: medium). Entitlement writes it;
    # intake applies it once, at admission and on a severity change, through
    # ``served_severity``; everyone downstream reads the ticket's served severity.
    severity_caps: dict[Tier, Severity] = Field(default_factory=dict)
    # Added within v1 (optional): a contract may start critical resolution at the phone
    # confirmation instead of at registration (intake's ``critical_resolution_start``).
    critical_resolution_starts: CriticalResolutionStart = CriticalResolutionStart.registration

    @field_validator("warning_percents")
    @classmethod
    def _within_target(cls, value: list[int]) -> list[int]:
        if any(not 0 < p < 100 for p in value):
            raise ValueError("warning percents must lie strictly between 0 and 100")
        return sorted(set(value))

    def served_severity(self, tier: Tier, asked: Severity) -> tuple[Severity, bool]:
        """Return the severity ``tier`` is served at when ``asked`` is asked, and whether capped.

        Severities are ordered most urgent first; a tier with a cap serves anything more
        urgent than the cap at the cap.
        """
        cap = self.severity_caps.get(Tier(tier))
        asked = Severity(asked)
        if cap is None:
            return asked, False
        order = list(Severity)
        if order.index(asked) < order.index(cap):
            return cap, True
        return asked, False
