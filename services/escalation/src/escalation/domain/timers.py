"""What a timer event on ``support.sla.v1`` does to escalation's copy of its timer.

The projection itself is shared (``shared.events.sla.timer_view``: intake's SLA
summary keeps the same one); escalation keeps only the state and the due instant.
"""

from __future__ import annotations

from datetime import datetime

from escalation.domain.model import TimerChange
from shared.events.sla import TimerEventData, timer_view


def timer_change(event: TimerEventData) -> TimerChange | None:
    """The timer's new state and due instant; None for an event that changes neither."""
    view = timer_view(event)
    if view is None or ("state" not in view and "due_at" not in view):
        return None
    state, due_at = view.get("state"), view.get("due_at")
    return TimerChange(
        state=state if isinstance(state, str) else None,
        due_at=due_at if isinstance(due_at, datetime) else None,
        keep_due="due_at" not in view,
    )
