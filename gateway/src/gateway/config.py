"""Runtime settings for the gateway."""

import os
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from gateway.limits import Limits
from gateway.ratelimit import Limit
from gateway.stream_hub import StreamSettings
from shared.settings import ServiceSettings

SCHEMA = "gateway"


class Settings(ServiceSettings):
    """Gateway settings; environment variables start with ``GATEWAY_``."""

    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8080
    # Each may list every replica of the service, comma-separated: requests take them in
    # turn and fail over to the next (shared.web.balanced).
    intake_url: str = "http://127.0.0.1:8101"
    entitlement_url: str = "http://127.0.0.1:8102"
    sla_clock_url: str = "http://127.0.0.1:8103"
    escalation_url: str = "http://127.0.0.1:8104"
    notification_url: str = "http://127.0.0.1:8105"
    upstream_timeout_seconds: float = 15.0
    # Seeded as an admin key at start-up (also read from the plain ADMIN_API_KEY).
    admin_api_key: str | None = None
    # A key looked up once is trusted for this long in a replica while the replica listens
    # for key changes (a revocation or rotation on any replica empties every cache at once;
    # unheard, a lookup is trusted 1 s); its last use is written at most once per
    # key_touch_seconds.
    key_cache_seconds: float = 10.0
    key_touch_seconds: float = 60.0
    # How long a rotated-out secret keeps working when the rotation does not say.
    rotation_grace_seconds: int = 86_400
    # Per-role token buckets (gateway.ratelimit), over the defaults, for the whole platform:
    # each of REPLICAS replicas admits its share (rate / REPLICAS) in its own memory,
    # e.g. GATEWAY_RATE_LIMITS='{"bot": {"per_second": 20, "burst": 100}}'.
    rate_limits: dict[str, Limit] = Field(default_factory=dict)
    # Request size and time limits (gateway.limits), e.g. GATEWAY_LIMITS__MAX_BODY_BYTES.
    limits: Limits = Limits()
    # The live event stream (gateway.stream_hub), e.g. GATEWAY_STREAM__WINDOW.
    stream: StreamSettings = StreamSettings()
    run_consumer: bool = False
    run_relay: bool = False

    @model_validator(mode="before")
    @classmethod
    def _admin_key(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and "admin_api_key" not in data
            and os.environ.get("ADMIN_API_KEY")
        ):
            data["admin_api_key"] = os.environ["ADMIN_API_KEY"]
        return data

    def upstreams(self) -> dict[str, str]:
        """Service name to base URL."""
        return {
            "intake": self.intake_url,
            "entitlement": self.entitlement_url,
            "sla-clock": self.sla_clock_url,
            "escalation": self.escalation_url,
            "notification": self.notification_url,
        }
