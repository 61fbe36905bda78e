"""GET /api/v1/tickets/{id}/sla/explain and POST /api/v1/sla/simulate against PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.auth import Role
from shared.clock import FrozenClock
from shared.errors import NotFound
from shared.events.policy import PolicyDocument
from shared.testing.auth import principal_headers
from shared.testing.builders import policy_document
from sla_clock.domain.clock import parse_instant

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

T0 = datetime(2031, 6, 1, 3, 0, tzinfo=UTC)  # premium runs 24x7 under ON_CALL
H = timedelta(hours=1)
M = timedelta(minutes=1)
ON_CALL = policy_document(
    version="on-call-test",
    schedules={"premium": "24x7"},
    targets={
        "premium": {"critical": ("20min", "3h"), "high": ("30min", "4h"), "medium": ("2h", "32h")}
    },
    warning_percents=[50, 75, 90],
)
"""The policy the desk's tickets carry (the fixtures' own)."""


async def _ticket(desk: Any, customer: uuid.UUID) -> uuid.UUID:
    ticket_id, _ = await desk.created(at=T0, customer_id=customer)
    await desk.move(ticket_id, "new", "in_progress", T0 + 5 * M)
    await desk.move(ticket_id, "in_progress", "waiting_customer", T0 + H, reason="logs")
    await desk.move(ticket_id, "waiting_customer", "in_progress", T0 + 90 * M)
    return ticket_id


class TestExplain:
    async def test_explains_the_live_ticket_and_simulate_agrees(self, desk, sla_app) -> None:
        customer = uuid.uuid4()
        ticket_id = await _ticket(desk, customer)
        async with sla_app(clock=FrozenClock(T0 + 2 * H)) as (client, _):
            r = await client.get(
                f"/api/v1/tickets/{ticket_id}/sla/explain",
                headers=principal_headers(Role.customer, customer),
            )
            assert r.status_code == 200, r.text
            body = r.json()
            simulated = await client.post(
                "/api/v1/sla/simulate",
                headers=principal_headers(Role.agent),
                json={
                    "tier": "premium",
                    "severity": "critical",
                    "received_at": T0.isoformat(),
                    "policy": ON_CALL,
                    "history": [
                        {"kind": "taken_into_work", "at": (T0 + 5 * M).isoformat()},
                        {"kind": "waiting", "at": (T0 + H).isoformat(), "reason": "logs"},
                        {"kind": "resumed", "at": (T0 + 90 * M).isoformat()},
                    ],
                },
            )
        assert simulated.status_code == 200, simulated.text
        assert body["policy_version"] == "on-call-test"
        assert body["calendar"] == "RU" or body["schedule"]["kind"] == "24x7"
        response, resolution = body["timers"]
        assert response["outcome"] == "met"
        assert parse_instant(resolution["due_at"], "due") == T0 + 3 * H + 30 * M
        assert sum(i["minutes"] for i in resolution["intervals"]) == 180
        assert resolution["pauses"] == [
            {
                "from": (T0 + H).isoformat(),
                "to": (T0 + 90 * M).isoformat(),
                "reason": "waiting_customer",
                "working_minutes": 30,
            }
        ]
        for live, sim in zip(body["timers"], simulated.json()["timers"], strict=True):
            for key in ("due_at", "outcome", "intervals", "pauses", "target"):
                assert live[key] == sim[key], key

    async def test_a_foreign_ticket_is_404_for_a_customer(self, desk, sla_app) -> None:
        ticket_id = await _ticket(desk, uuid.uuid4())
        async with sla_app() as (client, _):
            r = await client.get(
                f"/api/v1/tickets/{ticket_id}/sla/explain",
                headers=principal_headers(Role.customer, uuid.uuid4()),
            )
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")


class _Programme:
    """Policy versions as entitlement keeps them: the programme's current one has premium
    critical resolution 1 h instead of the ticket's 3 h; ``contract-2h`` has 2 h."""

    def _document(self, version: str, resolution: str) -> PolicyDocument:
        return PolicyDocument.model_validate(
            policy_document(
                version=version,
                schedules={"premium": "24x7"},
                targets={"premium": {"critical": ("10min", resolution)}},
            )
        )

    async def current(self) -> PolicyDocument:
        return self._document("programme-what-if", "1h")

    async def version(self, version: str) -> PolicyDocument:
        if version != "contract-2h":
            raise NotFound(f"There is no policy version {version!r}.")
        return self._document(version, "2h")


class TestReplayUnderAnotherPolicy:
    async def test_policy_current_reruns_the_history_under_the_programme(
        self, desk: Any, sla_app: Any
    ) -> None:
        ticket_id = await _ticket(desk, uuid.uuid4())
        async with sla_app(clock=FrozenClock(T0 + 2 * H)) as (client, runtime):
            runtime.state.policies = _Programme()
            own = await client.get(f"/api/v1/tickets/{ticket_id}/sla/explain")
            other = await client.get(f"/api/v1/tickets/{ticket_id}/sla/explain?policy=current")
            named = await client.get(f"/api/v1/tickets/{ticket_id}/sla/explain?policy=contract-2h")
            unknown = await client.get(f"/api/v1/tickets/{ticket_id}/sla/explain?policy=nope")
            bad = await client.get(f"/api/v1/tickets/{ticket_id}/sla/explain?policy=a%20b")
        assert own.status_code == other.status_code == 200, other.text
        assert own.json()["replayed_under"] is None
        assert other.json()["replayed_under"] == "programme-what-if"
        response, resolution = other.json()["timers"]
        assert response["outcome"] == "met"  # taken after 5 min, within 10
        # The 1 h ran out as the pause began, so the pause moves nothing: due at T0 + 1 h.
        assert parse_instant(resolution["due_at"], "due") == T0 + H
        assert sum(i["minutes"] for i in resolution["intervals"]) == 60
        assert resolution["outcome"] == "breached"
        assert own.json()["timers"][1]["outcome"] == "running"
        assert named.status_code == 200, named.text
        assert named.json()["replayed_under"] == "contract-2h"
        named_resolution = named.json()["timers"][1]
        # 2 h of working time; this time the 30-min pause falls before the due and moves it.
        assert sum(i["minutes"] for i in named_resolution["intervals"]) == 120
        assert parse_instant(named_resolution["due_at"], "due") == T0 + 2 * H + H / 2
        assert unknown.status_code == 404
        assert "nope" in unknown.json()["detail"]
        assert bad.status_code == 422
        for answer in (unknown, bad):
            assert answer.headers["content-type"].startswith("application/problem+json")
