"""Runtime settings for the intake service."""

from pydantic_settings import SettingsConfigDict

from intake.domain.config import IntakeConfig
from shared.settings import ServiceSettings

SCHEMA = "intake"


class Settings(ServiceSettings):
    """intake settings; environment variables start with ``INTAKE_``."""

    model_config = SettingsConfigDict(
        env_prefix="INTAKE_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8101
    entitlement_url: str = "http://127.0.0.1:8102"
    entitlement_timeout_seconds: float = 5.0
    registration_prefix: str = "TP"
    # A resolved ticket closes by itself after this many working days of its tier's schedule
    # (the rule's default is the domain's, IntakeConfig: one number, one place).
    auto_close_working_days: int = IntakeConfig.auto_close_working_days
    # Demo/test override of the agreed time, in seconds of wall time (None: working days).
    auto_close_after_seconds: float | None = None
    # Auto-close comes days after resolution: a pass every ten seconds is on time to the
    # eye, and at idle the job costs next to nothing.
    auto_close_poll_seconds: float = 10.0
    # How long the tier catalogue from entitlement is cached.
    tiers_cache_seconds: float = 60.0
    kb_suggestions: int = 3
