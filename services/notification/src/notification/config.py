"""Runtime settings for the notification service."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "notification"


class Settings(ServiceSettings):
    """notification settings; environment variables start with ``NOTIFICATION_``."""

    model_config = SettingsConfigDict(
        env_prefix="NOTIFICATION_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8105
