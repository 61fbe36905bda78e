"""HTTP schemas of sla-clock."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from sla_clock.domain.targets import Severity, Tier


class PauseIn(BaseModel):
    """A span in which the resolution clock stood still (e.g. waiting for the customer)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: AwareDatetime = Field(alias="from")
    to: AwareDatetime

    @field_validator("to")
    @classmethod
    def _after_from(cls, value: AwareDatetime, info: ValidationInfo) -> AwareDatetime:
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
    pauses: list[PauseIn] = []
    policy: dict[str, Any] | None = None  # a contract policy (Policy.to_dict); default if absent
