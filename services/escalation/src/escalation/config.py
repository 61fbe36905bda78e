"""Runtime settings for the escalation service."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SCHEMA = "escalation"


class Settings(ServiceSettings):
    """escalation settings; environment variables start with ``ESCALATION_``."""

    model_config = SettingsConfigDict(
        env_prefix="ESCALATION_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8104
    # On a shared machine it yields the cores to the request path and sla-clock: a breach is escalated well within its 500 ms goal even so
    # (docs/decisions.md, "Processes").
    cpu_nice: int = 10
    # A breach is escalated from here, and the people paged wait for it (breach ->
    # escalation.raised p99 <= 500 ms): while events flow, the consumer looks for new ones
    # every 250 ms on a broker that does not answer waiting fetches early (Tansu), not
    # every second (shared.messaging.fetch_pace). It reads every timer event of every
    # ticket, so a shorter wait costs empty fetches for nothing most of them need.
    consumer_fetch_wait_ms: int | None = 250
    run_scheduler: bool = True  # the OLA scheduler (off in tests that drive it by hand)
    # The longest sleep of the OLA scheduler: it sleeps until its next warning or breach
    # and a commit that stores a nearer target wakes it, so this only bounds how late it
    # sees a target stored by another replica.
    scheduler_poll_seconds: float = 5.0
