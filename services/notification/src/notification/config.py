"""Runtime settings for the notification service."""

from __future__ import annotations

import os
from typing import Any

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "notification"


class Settings(ServiceSettings):
    """notification settings; environment variables start with ``NOTIFICATION_``.

    ``smtp_url`` also comes from the platform-wide ``SMTP_URL`` (like ``DATABASE_URL``):
    ``smtp://[user:pass@]host:port`` (``?starttls=true`` to upgrade), ``smtps://`` for
    implicit TLS.
    """

    model_config = SettingsConfigDict(
        env_prefix="NOTIFICATION_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8105
    # On a shared machine it yields the cores to the request path and sla-clock: its emails wait for nothing a caller holds open (event -> email p99 goal 1 s)
    # (docs/decisions.md, "Processes").
    cpu_nice: int = 10
    # A ticket's registration email waits for its deadlines, which arrive as sla-clock's
    # events: while events flow the consumer looks for them every 250 ms on a broker that
    # does not answer waiting fetches early (Tansu), not every second, so the email leaves
    # within a second of the ticket (shared.messaging.fetch_pace).
    consumer_fetch_wait_ms: int | None = 250
    smtp_url: str = "smtp://127.0.0.1:1025"
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Support desk <support@support-desk.local>"
    # The right-hand side of our Message-IDs.
    message_id_domain: str = "support-desk.local"
    # Receivers of webhooks and chat callbacks are untrusted: short time-outs, no redirects,
    # and no loopback or private addresses unless this is set (tests and ``make run``).
    allow_private_webhooks: bool = False
    webhook_timeout_seconds: float = 5.0
    # The chat bot's callback (a public reply on a chat-born ticket is POSTed there) and the
    # ``whsec_`` secret it is signed with.
    chat_callback_url: str = ""
    chat_secret: str = ""
    # Retries: attempt n waits min(cap, base * 2**(n-1)) with +-jitter; see domain.backoff.
    email_max_attempts: int = 8
    email_backoff_base_seconds: float = 30.0
    email_backoff_cap_seconds: float = 3600.0
    webhook_max_attempts: int = 14
    webhook_backoff_base_seconds: float = 60.0
    webhook_backoff_cap_seconds: float = 8 * 3600.0
    backoff_jitter: float = 0.2
    # A subscription whose last N attempts all failed is disabled.
    webhook_disable_after_failures: int = 30
    # The consumer keeps the active subscriptions in memory (adapters.subscriptions); a
    # change made by another replica is seen within this many seconds, ours at once.
    webhook_cache_seconds: float = 1.0
    # The registration email waits for both first deadlines (sla.timer.scheduled), at most this.
    registration_wait_seconds: float = 60.0
    # Answers to mail from unknown senders (domain.answers): at most one per address
    # per this many seconds; the desk's own addresses (besides mail_from's), comma-
    # separated, are never answered.
    answer_window_seconds: float = 24 * 3600.0
    own_addresses: str = ""
    # A replica may run only the API and consumer, leaving sending to others.
    run_worker: bool = True
    # The worker sleeps until its earliest pending row (or a NOTIFY of new ones); this only
    # caps the sleep, bounding how late it sees a row while its LISTEN connection is down.
    worker_poll_seconds: float = 5.0
    worker_batch: int = 20
    worker_concurrency: int = 8
    # A claimed delivery not settled within this is claimed again (a crashed worker).
    lease_seconds: float = 60.0

    @model_validator(mode="before")
    @classmethod
    def _platform_smtp(cls, data: Any) -> Any:
        """Take ``SMTP_URL`` when ``NOTIFICATION_SMTP_URL`` is not set."""
        if isinstance(data, dict) and "smtp_url" not in data and os.environ.get("SMTP_URL"):
            data["smtp_url"] = os.environ["SMTP_URL"]
        return data
