"""Runtime settings for the sla-clock service."""

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "sla_clock"


class Settings(ServiceSettings):
    """sla-clock settings; environment variables start with ``SLA_CLOCK_``."""

    model_config = SettingsConfigDict(
        env_prefix="SLA_CLOCK_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8103
    # Warnings go out at these percentages of each target (rules, section 4);
    # SLA_CLOCK_WARNING_PERCENTS='[50,75,90]'.
    warning_percents: list[int] = Field(default_factory=lambda: [50, 75, 90])
    # The durable scheduler of warnings and breaches.
    run_scheduler: bool = True
    scheduler_poll_seconds: float = 0.2
    scheduler_batch_size: int = 500
    # An alarm fired more than this after its instant is marked ``late`` (catch-up).
    late_after_seconds: float = 2.0

    @field_validator("warning_percents")
    @classmethod
    def _percents(cls, value: list[int]) -> list[int]:
        if any(not 0 < p < 100 for p in value):
            raise ValueError("warning percents must lie strictly between 0 and 100")
        return sorted(set(value))
