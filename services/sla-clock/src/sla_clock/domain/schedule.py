"""Moved to :mod:`shared.worktime.schedule` (escalation counts working time too)."""

from shared.worktime.schedule import MOSCOW, Schedule, ScheduleKind, Window, day_length

__all__ = ["MOSCOW", "Schedule", "ScheduleKind", "Window", "day_length"]
