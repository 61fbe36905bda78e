"""escalation's counters: escalations raised and the lines' OLA alarms fired.

Labels are bounded: the trigger (manual, the SLA warning or breach that caused it),
the support line (1 to 3) and the OLA stage (warning, breach); never a ticket.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter

from escalation.domain.model import OlaStage, OlaTarget

ESCALATIONS = Counter(
    "escalations_raised",
    "Escalations raised, by trigger and the line that must act.",
    ["trigger", "line"],
)
OLA_ALARMS = Counter(
    "ola_alarms_fired",
    "A line's own response target (OLA) warned or breached, by stage and line.",
    ["stage", "line"],
)


def count_escalation(trigger: str, line: int) -> None:
    """Count one stored escalation (a repeated key is not raised, so not counted)."""
    ESCALATIONS.labels(trigger=trigger, line=str(line)).inc()


def count_ola(stage: OlaStage, targets: Iterable[OlaTarget]) -> None:
    """Count the OLA alarms of one committed scheduler pass."""
    for target in targets:
        OLA_ALARMS.labels(stage=stage, line=str(target.line)).inc()
