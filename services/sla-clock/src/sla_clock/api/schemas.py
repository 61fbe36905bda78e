"""HTTP schemas of sla-clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.events.vocabulary import Severity, Tier

# Deadlines are computed over the production calendar; outside these years the date
# arithmetic itself overflows (year 10000), so refuse such instants as input errors.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, tzinfo=UTC)


def _in_range(value: AwareDatetime) -> AwareDatetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(
            f"{value.isoformat()} is outside the supported range "
            f"{EARLIEST.date().isoformat()} .. {LATEST.date().isoformat()}"
        )
    return value


class PauseIn(BaseModel):
    """A span in which the resolution clock stood still (e.g. waiting for the customer)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: AwareDatetime = Field(alias="from")
    to: AwareDatetime

    @field_validator("from_")
    @classmethod
    def _from_in_range(cls, value: AwareDatetime) -> AwareDatetime:
        return _in_range(value)

    @field_validator("to")
    @classmethod
    def _after_from(cls, value: AwareDatetime, info: ValidationInfo) -> AwareDatetime:
        _in_range(value)
        start = info.data.get("from_")
        if start is not None and value < start:
            raise ValueError(
                f"'to' ({value.isoformat()}) must not be before 'from' ({start.isoformat()})"
            )
        return value


class PreviewIn(BaseModel):
    """What a ticket's deadlines would be: tier, severity, receipt instant, pauses."""

    model_config = ConfigDict(extra="forbid")

    tier: Tier
    severity: Severity
    received_at: AwareDatetime
    pauses: list[PauseIn] = Field(default=[], max_length=1000)
    # A contract policy (the shape of GET /api/v1/policies); the programme's if absent.
    policy: dict[str, Any] | None = None

    @field_validator("received_at")
    @classmethod
    def _received_in_range(cls, value: AwareDatetime) -> AwareDatetime:
        return _in_range(value)


class HistoryStepIn(BaseModel):
    """One step of a simulated ticket's life after its receipt, at an instant."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[
        "taken_into_work",
        "waiting",
        "resumed",
        "severity_changed",
        "tier_changed",
        "corrective_action",
        "resolved",
        "reopened",
        "closed",
        "closed_not_reproducible",
        "closed_not_product_issue",
        "rejected_out_of_scope",
    ]
    at: AwareDatetime
    reason: str | None = Field(default=None, max_length=500)
    severity: Severity | None = None  # severity_changed; optional on tier_changed
    tier: Tier | None = None  # tier_changed
    policy: dict[str, Any] | None = None  # tier_changed: the new tier's policy
    action: str | None = Field(default=None, max_length=50)  # corrective_action kind

    @field_validator("at")
    @classmethod
    def _at_in_range(cls, value: AwareDatetime) -> AwareDatetime:
        return _in_range(value)


class SimulateIn(BaseModel):
    """A ticket history as data, run under a tier and a policy (the programme's if absent)."""

    model_config = ConfigDict(extra="forbid")

    tier: Tier
    severity: Severity
    received_at: AwareDatetime
    history: list[HistoryStepIn] = Field(default=[], max_length=1000)
    policy: dict[str, Any] | None = None
    # Overrides the tier's schedule in the policy: {"kind": "24x7"}, {"kind": "8x5"}, or
    # a custom one in the shape of Schedule.to_dict.
    schedule: dict[str, Any] | None = None
    as_of: AwareDatetime | None = None  # the instant outcomes are judged at; now if absent

    @field_validator("received_at")
    @classmethod
    def _received_in_range(cls, value: AwareDatetime) -> AwareDatetime:
        return _in_range(value)
