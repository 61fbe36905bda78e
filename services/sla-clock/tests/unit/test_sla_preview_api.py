"""POST /api/v1/sla/preview agrees with the rules' examples (in process, no database).

Entitlement is played by a mock transport serving a small policy written for these
examples (and the basic tier's cap); the programme's own table is entitlement's to test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from shared.auth import Role
from shared.testing.auth import TEST_TOKEN, principal_headers
from shared.testing.builders import policy_document
from sla_clock.adapters.policies import EntitlementPolicies
from sla_clock.app import create_app
from sla_clock.config import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

PROGRAMME = policy_document(
    version="programme-test",
    schedules={"premium": "24x7", "standard": "8x5", "basic": "8x5"},
    targets={
        "premium": {"critical": ("20min", "3h")},
        "standard": {"high": ("4h", "8d")},
        "basic": {"medium": ("8h", None)},
    },
    severity_caps={"basic": "medium"},
)


class FakeEntitlement:
    """Serves PROGRAMME at the version sla-clock is configured to read, unless away."""

    def __init__(self) -> None:
        self.up = True

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("entitlement is away", request=request)
        assert request.url.path == "/api/v1/policies/programme-test"
        return httpx.Response(200, json=PROGRAMME)


ENTITLEMENT = FakeEntitlement()


@pytest_asyncio.fixture(loop_scope="session")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # The preview touches no database, so the app runs without its lifespan.
    app = create_app(
        Settings(
            run_consumer=False, run_relay=False, run_scheduler=False, internal_token=TEST_TOKEN
        ),
        policies=EntitlementPolicies(
            base_url="http://entitlement",
            version="programme-test",
            headers={},
            transport=httpx.MockTransport(ENTITLEMENT),
        ),
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sla",
        headers=principal_headers(Role.agent),
    ) as c:
        yield c


async def _preview(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/api/v1/sla/preview", json=body)


class TestPreviewMatchesTheRules:
    async def test_premium_critical_on_sunday_night_is_due_twenty_minutes_later(
        self, client: httpx.AsyncClient
    ) -> None:
        r = await _preview(
            client, tier="premium", severity="critical", received_at="2026-03-01T03:00:00+03:00"
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["response_due"] == "2026-03-01T03:20:00+03:00"
        assert body["resolution_due"] == "2026-03-01T06:00:00+03:00"
        assert body["schedule"] == "24x7"
        assert body["severity_capped"] is False
        assert body["policy_version"] == "programme-test"

    async def test_a_policy_in_the_body_is_used_instead_of_the_programmes(
        self, client: httpx.AsyncClient
    ) -> None:
        contract = policy_document(
            version="contract-1",
            schedules={"premium": "24x7"},
            targets={"premium": {"critical": ("1h", "5h")}},
        )
        r = await _preview(
            client,
            tier="premium",
            severity="critical",
            received_at="2026-03-01T03:00:00+03:00",
            policy=contract,
        )
        assert r.status_code == 200, r.text
        assert (r.json()["response_due"], r.json()["resolution_due"]) == (
            "2026-03-01T04:00:00+03:00",
            "2026-03-01T08:00:00+03:00",
        )
        assert r.json()["policy_version"] == "contract-1"

    async def test_standard_high_on_friday_evening_is_due_monday_noon(
        self, client: httpx.AsyncClient
    ) -> None:
        r = await _preview(
            client, tier="standard", severity="high", received_at="2026-03-13T17:00:00+03:00"
        )
        assert r.status_code == 200, r.text
        assert r.json()["response_due"] == "2026-03-16T12:00:00+03:00"
        assert r.json()["schedule"] == "8x5"

    async def test_a_target_reached_at_the_close_is_due_at_the_close(
        self, client: httpx.AsyncClient
    ) -> None:
        r = await _preview(
            client, tier="standard", severity="high", received_at="2026-03-04T14:00:00+03:00"
        )
        assert r.json()["response_due"] == "2026-03-04T18:00:00+03:00"

    async def test_basic_critical_is_capped_to_medium(self, client: httpx.AsyncClient) -> None:
        r = await _preview(
            client, tier="basic", severity="critical", received_at="2026-03-02T09:00:00+03:00"
        )
        body = r.json()
        assert body["severity"] == "medium"
        assert body["requested_severity"] == "critical"
        assert body["severity_capped"] is True
        assert body["response_due"] == "2026-03-02T17:00:00+03:00"
        assert body["resolution_due"] is None

    async def test_pauses_delay_only_the_resolution(self, client: httpx.AsyncClient) -> None:
        r = await _preview(
            client,
            tier="premium",
            severity="critical",
            received_at="2026-03-01T03:00:00+03:00",
            pauses=[{"from": "2026-03-01T04:00:00+03:00", "to": "2026-03-01T05:30:00+03:00"}],
        )
        assert r.json()["response_due"] == "2026-03-01T03:20:00+03:00"
        assert r.json()["resolution_due"] == "2026-03-01T07:30:00+03:00"


class TestPreviewRefusesBadInput:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (
                {"tier": "premium", "severity": "high", "received_at": "2026-03-01T03:00:00"},
                "body.received_at",
            ),
            (
                {"tier": "gold", "severity": "high", "received_at": "2026-03-01T03:00:00Z"},
                "body.tier",
            ),
            (
                {"tier": "premium", "severity": "urgent", "received_at": "2026-03-01T03:00:00Z"},
                "body.severity",
            ),
            (
                {
                    "tier": "premium",
                    "severity": "high",
                    "received_at": "2026-03-01T03:00:00Z",
                    "pauses": [{"from": "2026-03-01T05:00:00Z", "to": "2026-03-01T04:00:00Z"}],
                },
                "body.pauses.0.to",
            ),
            (
                {"tier": "premium", "severity": "high", "received_at": "x", "colour": "red"},
                "body.colour",
            ),
            (
                {
                    "tier": "standard",
                    "severity": "critical",
                    "received_at": "9999-12-31T23:00:00+03:00",
                },
                "body.received_at",
            ),
            (
                {
                    "tier": "standard",
                    "severity": "high",
                    "received_at": "2026-03-01T03:00:00Z",
                    "pauses": [{"from": "1900-01-01T00:00:00Z", "to": "2026-03-01T04:00:00Z"}],
                },
                "body.pauses.0.from",
            ),
        ],
    )
    async def test_names_the_field_in_a_problem(
        self, client: httpx.AsyncClient, body: dict[str, Any], field: str
    ) -> None:
        r = await client.post("/api/v1/sla/preview", json=body)
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in r.json()["errors"]]
        assert field in r.json()["detail"]

    async def test_an_invalid_policy_is_a_problem(self, client: httpx.AsyncClient) -> None:
        r = await _preview(
            client,
            tier="premium",
            severity="high",
            received_at="2026-03-01T03:00:00Z",
            policy={
                "version": "x",
                "schedules": {},
                "targets": {"premium": {"high": {"response": "1w"}}},
            },
        )
        assert r.status_code == 422
        assert r.json()["field"] == "policy"

    async def test_entitlement_away_is_a_503_problem_not_a_500(
        self, client: httpx.AsyncClient
    ) -> None:
        ENTITLEMENT.up = False
        try:
            r = await _preview(
                client, tier="premium", severity="high", received_at="2026-03-01T03:00:00Z"
            )
        finally:
            ENTITLEMENT.up = True
        assert r.status_code == 503
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "entitlement" in r.json()["detail"]
