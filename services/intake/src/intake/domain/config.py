"""The settings the use cases and the ticket need (a subset of ``intake.config.Settings``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntakeConfig:
    """Registration prefix, the auto-close delay and how many articles to suggest."""

    registration_prefix: str = "TP"
    auto_close_working_days: int = 3
    auto_close_after_seconds: float | None = None
    kb_suggestions: int = 3
