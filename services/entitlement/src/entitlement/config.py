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
    # On a shared machine it yields the cores to the request path and sla-clock: contracts change rarely, and intake admits from its own read model
    # (docs/decisions.md, "Processes").
    cpu_nice: int = 10
    # The contract-expiry job: how often it looks for ended contracts, and how many it
    # announces per transaction. Every replica may run it (rows are claimed SKIP LOCKED).
    run_expiry_job: bool = True
    expiry_poll_seconds: float = 30.0
    expiry_batch: int = 100
    # The entitlement-check cache (adapters/cache.py): on while its LISTEN connection holds.
    entitlement_cache: bool = True
    entitlement_cache_ttl_seconds: float = 30.0
    # The maintenance scheduler (usecases/maintenance_schedule.py): how often it announces
    # due occurrences. Every replica may run it: the occurrence key makes each announced once.
    run_maintenance_job: bool = True
    maintenance_poll_seconds: float = 60.0
