"""Runtime settings for the sla-clock service.

No rule lives here: targets, schedules and warning percentages come with each ticket's
policy snapshot (entitlement's), not from the environment.
"""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "sla_clock"


class Settings(ServiceSettings):
    """sla-clock settings; environment variables start with ``SLA_CLOCK_``."""

    model_config = SettingsConfigDict(
        env_prefix="SLA_CLOCK_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8103
    # A ticket's deadlines are announced from here: this hop is on the path every caller
    # waits for (POST -> sla.timer.scheduled, p99 <= 100 ms at a quarter of capacity), so
    # while tickets flow it looks for new ones every 50 ms on a broker that does not
    # answer waiting fetches early (Tansu; on Apache Kafka the wait costs no latency).
    # Idle, it waits as long as every consumer (shared.messaging.fetch_pace); the timers
    # count from the ticket's own instant.
    consumer_fetch_wait_ms: int | None = 50
    # The durable scheduler of warnings and breaches.
    run_scheduler: bool = True
    # The longest sleep between passes: the scheduler sleeps until its next alarm and
    # the consumer wakes it for a nearer one, so this only bounds how late it sees an
    # alarm stored by another replica (or a row written by hand).
    scheduler_poll_seconds: float = 5
    scheduler_batch_size: int = 500
    # A herd (more due than a batch) doubles the batch up to this, one transaction each.
    scheduler_max_batch_size: int = 5000
    # An alarm fired more than this after its instant is marked ``late`` (catch-up).
    late_after_seconds: float = 2.0
    # A preview sent without a policy reads this version from entitlement.
    entitlement_url: str = "http://127.0.0.1:8102"
    preview_policy_version: str = "default-2026.1"
