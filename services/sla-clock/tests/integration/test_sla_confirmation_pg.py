"""The phone confirmation through the handler and the SLA view (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import FrozenClock
from shared.events.base import Envelope
from shared.events.premium import TicketPhoneConfirmationRecorded
from shared.testing.builders import policy_document

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

T0 = datetime(2031, 6, 1, 3, 0, tzinfo=UTC)  # a Sunday; premium runs 24x7
H = timedelta(hours=1)
M = timedelta(minutes=1)
ON_CONFIRMATION = {
    **policy_document(
        version="contract-confirmation",
        schedules={"premium": "24x7"},
        targets={"premium": {"critical": ("20min", "3h")}},
    ),
    "critical_resolution_starts": "confirmation",
}


class TestPhoneConfirmation:
    async def test_resolution_is_pending_then_runs_from_the_confirmation(
        self, desk, sla_app
    ) -> None:
        ticket_id, _ = await desk.created(at=T0, policy=ON_CONFIRMATION)
        async with sla_app(clock=FrozenClock(T0 + 10 * M)) as (client, _):
            before = (await client.get(f"/api/v1/tickets/{ticket_id}/sla")).json()
        confirmed = TicketPhoneConfirmationRecorded(
            ticket_id=ticket_id,
            occurred_at=T0 + 40 * M,
            confirmed_by="A. Petrov",
            confirmed_at=T0 + 30 * M,
            recorded_by="agent-1",
        )
        await desk.deliver(Envelope.wrap(confirmed, source="intake", subject=str(ticket_id)))
        async with sla_app(clock=FrozenClock(T0 + H)) as (client, _):
            after = (await client.get(f"/api/v1/tickets/{ticket_id}/sla")).json()

        pending = before["timers"][1]
        assert (pending["state"], pending["outcome"], pending["due_at"]) == (
            "pending",
            "pending",
            None,
        )
        assert (pending["working_time_used_seconds"], pending["alarms"]) == (0, [])
        assert (before["critical_resolution_starts"], before["phone_confirmed_at"]) == (
            "confirmation",
            None,
        )
        running = after["timers"][1]
        assert running["state"] == "running"
        assert datetime.fromisoformat(running["started_at"]) == T0 + 30 * M
        assert datetime.fromisoformat(running["due_at"]) == T0 + 30 * M + 3 * H
        assert [a["percent"] for a in running["alarms"]] == [50, 75, 90, 100]
        assert datetime.fromisoformat(after["phone_confirmed_at"]) == T0 + 30 * M
        kinds = [(kind, data.get("timer")) for kind, data in await desk.events(ticket_id)]
        assert kinds[-1] == ("sla.timer.scheduled", "resolution")
