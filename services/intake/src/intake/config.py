"""Runtime settings for the intake service."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "intake"


class Settings(ServiceSettings):
    """intake settings; environment variables start with ``INTAKE_``."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", env_nested_delimiter="__", extra="ignore")

    port: int = 8101
    entitlement_url: str = "http://127.0.0.1:8102"
    entitlement_timeout_seconds: float = 5.0
    registration_prefix: str = "TP"
