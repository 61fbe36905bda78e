"""Runtime settings for the gateway."""

import os
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import SettingsConfigDict

from gateway.limits import Limits
from gateway.ratelimit import Limit
from gateway.sessions import Lifetimes
from gateway.stream_hub import StreamSettings
from shared.settings import ServiceSettings

SCHEMA = "gateway"


class OidcSettings(BaseModel):
    """An OpenID Connect provider for staff sign-in (all three set, or OIDC is off)."""

    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id and self.client_secret)


class WebSettings(BaseModel):
    """Browser sign-in (docs/web.md), e.g. ``GATEWAY_WEB__IDLE_HOURS=8``."""

    idle_hours: float = Field(default=8, gt=0)
    absolute_days: float = Field(default=7, gt=0)
    sign_in_link_minutes: float = Field(default=15, gt=0)
    invitation_hours: float = Field(default=48, gt=0)
    # Sign-in attempts (links asked for, passwords tried) per address and per client IP in
    # the window; an office behind one NAT address shares the IP's allowance.
    attempts_per_address: int = Field(default=5, ge=1)
    attempts_per_ip: int = Field(default=30, ge=1)
    attempt_window_minutes: float = Field(default=15, gt=0)
    # How long a session's person is trusted to still have access before re-asking.
    access_cache_seconds: float = Field(default=30, ge=0)

    def lifetimes(self) -> Lifetimes:
        return Lifetimes(
            idle=timedelta(hours=self.idle_hours),
            absolute=timedelta(days=self.absolute_days),
            sign_in_link=timedelta(minutes=self.sign_in_link_minutes),
            invitation=timedelta(hours=self.invitation_hours),
        )

    @property
    def attempt_window(self) -> timedelta:
        return timedelta(minutes=self.attempt_window_minutes)


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
    # Browser sign-in and sessions (gateway.web), e.g. GATEWAY_WEB__IDLE_HOURS.
    web: WebSettings = WebSettings()
    # Staff sign-in through an OpenID Connect provider: GATEWAY_OIDC__ISSUER, __CLIENT_ID,
    # __CLIENT_SECRET.
    oidc: OidcSettings = OidcSettings()
    # Where people reach the platform: every link in mail starts with it (also read from the
    # plain PUBLIC_BASE_URL); default the gateway's own address. https makes cookies Secure.
    public_base_url: str = ""
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
        if (
            isinstance(data, dict)
            and "public_base_url" not in data
            and os.environ.get("PUBLIC_BASE_URL")
        ):
            data["public_base_url"] = os.environ["PUBLIC_BASE_URL"]
        return data

    @property
    def base_url(self) -> str:
        """The public base URL without a trailing slash (the gateway's own by default)."""
        return (self.public_base_url or f"http://127.0.0.1:{self.port}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        """Cookies are ``Secure`` when people reach the platform over TLS."""
        return self.base_url.startswith("https://")

    def upstreams(self) -> dict[str, str]:
        """Service name to base URL."""
        return {
            "intake": self.intake_url,
            "entitlement": self.entitlement_url,
            "sla-clock": self.sla_clock_url,
            "escalation": self.escalation_url,
            "notification": self.notification_url,
        }
