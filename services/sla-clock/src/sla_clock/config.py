"""Runtime settings for the sla-clock service."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "sla_clock"


class Settings(ServiceSettings):
    """sla-clock settings; environment variables start with ``SLA_CLOCK_``."""

    model_config = SettingsConfigDict(
        env_prefix="SLA_CLOCK_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8103
