"""Runtime settings for the entitlement service."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "entitlement"


class Settings(ServiceSettings):
    """entitlement settings; environment variables start with ``ENTITLEMENT_``."""

    model_config = SettingsConfigDict(
        env_prefix="ENTITLEMENT_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8102
