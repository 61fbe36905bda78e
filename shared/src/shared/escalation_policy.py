"""The escalation policy as data: what a warning or breach does, per tier and severity.

Escalation applies it; entitlement validates a contract's own policy with the same
model before storing it (a contract may carry its own, as it carries its own
targets). A policy is a versioned JSON document: a list of entries, the first one
whose tiers and severities match a ticket wins, and each entry lists its rules
(which timer, warning percentage or breach, line move, who is told).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Audience = Literal[
    "assignee", "line_lead", "dedicated_engineer", "dedicated_manager", "on_duty", "contacts"
]
OnDuty = Literal["never", "out_of_hours", "always"]
Trigger = Literal["warning", "breach"]
TimerName = Literal["response", "resolution"]

ALL_TIERS = ["premium", "business", "extended", "standard", "basic"]
ALL_SEVERITIES = ["critical", "high", "medium", "low"]
DEFAULT_VERSION = "escalation-default-1"


class Rule(BaseModel):
    """What one warning percentage or one breach of one timer does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timer: TimerName
    trigger: Trigger
    percent: int | None = Field(default=None, ge=1, le=99)
    next_line: bool = False  # move the ticket one support line up (1 -> 2 -> 3, never past 3)
    notify: list[Audience] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _percent_for_warnings(self) -> Rule:
        if (self.trigger == "warning") != (self.percent is not None):
            raise ValueError("a warning rule names its percent; a breach rule does not")
        return self


class Entry(BaseModel):
    """The rules of some tiers and severities."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tiers: list[str] = Field(default_factory=lambda: list(ALL_TIERS), max_length=10)
    severities: list[str] = Field(default_factory=lambda: list(ALL_SEVERITIES), max_length=10)
    # When the engineer on duty is called on every escalation of these tickets: tickets
    # worked 24x7 call the on-duty engineer outside Moscow business hours.
    on_duty: OnDuty = "never"
    # Whether a still-unassigned ticket is handed to the engineer on duty when called.
    assign_on_duty: bool = False
    rules: list[Rule] = Field(default_factory=list, max_length=50)

    def matches(self, tier: str | None, severity: str | None) -> bool:
        """Whether this entry governs a ticket of ``tier`` and ``severity``."""
        return (tier or "basic") in self.tiers and (severity or "medium") in self.severities


class EscalationPolicy(BaseModel):
    """A whole policy: versioned, first matching entry wins, plus the lines' own targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(default=DEFAULT_VERSION, min_length=1, max_length=100)
    entries: list[Entry] = Field(min_length=1, max_length=50)
    # Operational level target of support lines 2 and 3: the line's response time, in
    # working hours of the ticket's schedule, by severity (absent: no OLA).
    ola_hours: dict[str, float] = Field(default_factory=dict, max_length=10)
    ola_warning_percent: int = Field(default=75, ge=1, le=99)

    def entry_for(self, tier: str | None, severity: str | None) -> Entry | None:
        """The entry governing a ticket, or None."""
        return next((e for e in self.entries if e.matches(tier, severity)), None)


def programme_rules() -> list[Rule]:
    """The programme's rules: response breach moves a line, resolution warns and breaches."""
    return [
        Rule(timer="response", trigger="breach", next_line=True, notify=["line_lead", "assignee"]),
        Rule(timer="resolution", trigger="warning", percent=75, notify=["dedicated_engineer"]),
        Rule(timer="resolution", trigger="warning", percent=90, notify=["dedicated_manager"]),
        Rule(
            timer="resolution",
            trigger="breach",
            notify=["dedicated_manager", "line_lead", "assignee"],
        ),
    ]


def default_policy() -> EscalationPolicy:
    """The default policy (docs/escalation.md has it as a table)."""
    return EscalationPolicy(
        version=DEFAULT_VERSION,
        entries=[
            Entry(
                tiers=["premium", "business"],
                severities=["critical", "high"],
                on_duty="out_of_hours",
                assign_on_duty=True,
                rules=programme_rules(),
            ),
            Entry(rules=programme_rules()),
        ],
        ola_hours={"critical": 1, "high": 2, "medium": 4},
    )
