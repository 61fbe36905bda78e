"""On-site visits: the request's checks, the refusal for other tiers, and the workflow table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from intake.domain.actors import ActorKind
from intake.domain.visits import (
    Visit,
    VisitStatus,
    VisitStep,
    advance_visit,
    allowed_visit_steps,
    request_visit,
)
from shared.errors import Conflict, Forbidden, Unprocessable

AGENT, CUSTOMER = ActorKind.agent, ActorKind.customer
TODAY = date(2026, 3, 4)
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
WHEN = NOW + timedelta(days=2)
TIERS_WITH_VISITS = ["premium", "business"]


def make_request(**overrides: Any) -> Visit:
    fields: dict[str, Any] = {
        "visit_id": UUID("00000000-0000-4000-8000-0000000000b1"),
        "ticket_id": UUID("00000000-0000-4000-8000-0000000000b2"),
        "tier": "business",
        "tiers_with_feature": TIERS_WITH_VISITS,
        "address": "  Moscow, Tverskaya st. 7, office 12  ",
        "wished_date": TODAY + timedelta(days=1),
        "within_ring_road": True,
        "today": TODAY,
    }
    fields.update(overrides)
    return request_visit(**fields)


def scheduled() -> Visit:
    return advance_visit(
        make_request(),
        VisitStep.schedule,
        actor=AGENT,
        now=NOW,
        scheduled_at=WHEN,
        engineer="Sidorov",
    )


class TestRequest:
    def test_a_business_customer_requests_a_visit(self) -> None:
        visit = make_request()

        assert visit.status is VisitStatus.requested
        assert visit.address == "Moscow, Tverskaya st. 7, office 12"
        assert visit.wished_date == date(2026, 3, 5)

    def test_a_tier_without_visits_is_refused_naming_the_tiers_with_them(self) -> None:
        with pytest.raises(Forbidden) as caught:
            make_request(tier="extended")

        assert caught.value.slug == "feature-not-in-tier"
        assert caught.value.extensions["tiers"] == TIERS_WITH_VISITS
        assert caught.value.extensions["feature"] == "on_site_visit"

    @pytest.mark.parametrize(
        ("overrides", "slug"),
        [
            ({"address": "   "}, "visit-address"),
            ({"address": "x" * 501}, "visit-address"),
            ({"within_ring_road": False}, "visit-outside-area"),
            ({"wished_date": TODAY - timedelta(days=1)}, "visit-date"),
        ],
    )
    def test_a_bad_request_is_refused(self, overrides: dict[str, Any], slug: str) -> None:
        with pytest.raises(Unprocessable) as caught:
            make_request(**overrides)

        assert caught.value.slug == slug

    def test_today_is_a_valid_wished_date(self) -> None:
        assert make_request(wished_date=TODAY).wished_date == TODAY


class TestWorkflow:
    def test_scheduled_then_done_with_engineer_and_time_spent(self) -> None:
        visit = scheduled()
        assert (visit.status, visit.scheduled_at, visit.engineer) == (
            VisitStatus.scheduled,
            WHEN,
            "Sidorov",
        )

        done = advance_visit(
            visit,
            VisitStep.complete,
            actor=AGENT,
            now=WHEN + timedelta(hours=3),
            engineer=" Sidorov ",
            time_spent=timedelta(hours=2, minutes=30),
        )

        assert done.status is VisitStatus.done
        assert done.engineer == "Sidorov"
        assert done.time_spent == timedelta(hours=2, minutes=30)
        assert done.done_at == WHEN + timedelta(hours=3)
        assert allowed_visit_steps(done.status) == []

    def test_a_scheduled_visit_can_be_rescheduled(self) -> None:
        later = WHEN + timedelta(days=1)
        visit = advance_visit(
            scheduled(),
            VisitStep.schedule,
            actor=AGENT,
            now=NOW,
            scheduled_at=later,
            engineer="Orlov",
        )

        assert (visit.scheduled_at, visit.engineer) == (later, "Orlov")

    def test_the_customer_may_cancel_with_a_reason(self) -> None:
        visit = advance_visit(
            make_request(), VisitStep.cancel, actor=CUSTOMER, now=NOW, reason="fixed remotely"
        )

        assert (visit.status, visit.cancel_reason) == (VisitStatus.cancelled, "fixed remotely")

    def test_a_visit_not_scheduled_cannot_be_done(self) -> None:
        with pytest.raises(Conflict) as caught:
            advance_visit(
                make_request(),
                VisitStep.complete,
                actor=AGENT,
                now=NOW,
                engineer="S",
                time_spent=timedelta(hours=1),
            )

        assert caught.value.extensions["allowed"] == ["schedule", "cancel"]

    def test_only_an_agent_schedules(self) -> None:
        with pytest.raises(Forbidden, match="agent"):
            advance_visit(
                make_request(),
                VisitStep.schedule,
                actor=CUSTOMER,
                now=NOW,
                scheduled_at=WHEN,
                engineer="S",
            )

    @pytest.mark.parametrize(
        ("step", "details", "missing"),
        [
            (VisitStep.schedule, {"engineer": "S"}, ["scheduled_at"]),
            (VisitStep.complete, {"engineer": " "}, ["engineer", "time_spent"]),
            (VisitStep.cancel, {}, ["reason"]),
        ],
    )
    def test_missing_details_are_named(
        self, step: VisitStep, details: dict[str, Any], missing: list[str]
    ) -> None:
        with pytest.raises(Unprocessable) as caught:
            advance_visit(scheduled(), step, actor=AGENT, now=NOW, **details)

        assert caught.value.extensions["missing"] == missing

    @pytest.mark.parametrize(
        ("step", "details", "slug"),
        [
            (
                VisitStep.schedule,
                {"engineer": "S", "scheduled_at": NOW - timedelta(hours=1)},
                "visit-date",
            ),
            (
                VisitStep.schedule,
                {"engineer": "S", "scheduled_at": datetime(2026, 3, 6, 10)},
                "visit-date",
            ),
            (VisitStep.complete, {"engineer": "S", "time_spent": timedelta(0)}, "visit-time-spent"),
            (
                VisitStep.complete,
                {"engineer": "S", "time_spent": timedelta(days=8)},
                "visit-time-spent",
            ),
        ],
    )
    def test_bad_details_are_refused(
        self, step: VisitStep, details: dict[str, Any], slug: str
    ) -> None:
        with pytest.raises(Unprocessable) as caught:
            advance_visit(scheduled(), step, actor=AGENT, now=NOW, **details)

        assert caught.value.slug == slug
