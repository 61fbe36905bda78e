"""A delivery keeps the trace of the event that planned it, and nothing when tracing is off."""

from __future__ import annotations

from notification.adapters.repository import TRACE_KEY, with_trace

PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_the_context_gains_the_traceparent() -> None:
    context = {"ticket_number": "T-1"}

    assert with_trace(context, PARENT) == {"ticket_number": "T-1", TRACE_KEY: PARENT}
    assert context == {"ticket_number": "T-1"}  # the planned delivery is not changed


def test_without_a_trace_the_context_is_left_as_it_is() -> None:
    context = {"ticket_number": "T-1"}

    assert with_trace(context, None) is context
