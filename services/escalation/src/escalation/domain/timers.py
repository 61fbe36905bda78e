"""What a timer event on ``support.sla.v1`` says of its timer's state, pure.

Events carry the state after them (``state``, added within v1); the type decides
when an older producer left it out.
"""

from __future__ import annotations

from escalation.domain.model import TimerChange
from shared.events.sla import (
    TimerEventData,
    TimerMet,
    TimerPaused,
    TimerRecomputed,
    TimerResumed,
    TimerScheduled,
    TimerStopped,
)


def timer_change(event: TimerEventData) -> TimerChange | None:
    """The timer's new state and due instant; None for an event that changes neither."""
    change: TimerChange
    if isinstance(event, TimerScheduled):
        change = TimerChange("running" if event.due_at else "no_target", event.due_at)
    elif isinstance(event, TimerResumed):
        change = TimerChange("running", event.due_at)
    elif isinstance(event, TimerRecomputed):
        change = TimerChange(None, event.due_at)
    elif isinstance(event, TimerPaused):
        change = TimerChange("paused", keep_due=True)
    elif isinstance(event, TimerMet):
        change = TimerChange("met", keep_due=True)
    elif isinstance(event, TimerStopped):
        change = TimerChange("stopped", keep_due=True)
    else:
        return None
    if event.state:
        return TimerChange(event.state, change.due_at, change.keep_due)
    return change
