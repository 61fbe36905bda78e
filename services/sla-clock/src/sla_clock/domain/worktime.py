"""Moved to :mod:`shared.worktime.worktime` (escalation counts working time too)."""

from shared.worktime.worktime import (
    Interval,
    add_working_time,
    deadline,
    merge_intervals,
    next_opening,
    to_utc,
    working_time_between,
)

__all__ = [
    "Interval",
    "add_working_time",
    "deadline",
    "merge_intervals",
    "next_opening",
    "to_utc",
    "working_time_between",
]
