"""Premium rules on a ticket: feature refusals, remote access waits, phone confirmation, analysis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from intake.domain.actors import ActorKind
from intake.domain.premium import (
    REMOTE_ACCESS_REQUIRED,
    PhoneConfirmation,
    ServiceSubtype,
    check_analysis_resolution,
    check_subtype,
    critical_resolution_start,
    record_phone_confirmation,
    require_feature,
    wait_for_remote_access,
)
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.policy import CriticalResolutionStart, PolicyDocument
from shared.events.vocabulary import Feature, TicketStatus

RECEIVED = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
NOW = RECEIVED + timedelta(hours=1)
TOP3 = ["premium", "business", "extended"]
CONFIRMED = PhoneConfirmation(
    confirmed_by="Anna Petrova, +7 495 000-00-00",
    confirmed_at=RECEIVED + timedelta(minutes=10),
    recorded_by="agent-ivanov",
)


class TestRequireFeature:
    def test_a_tier_with_the_feature_passes(self) -> None:
        require_feature(
            Feature.on_site_visit, tier="business", tiers_with_feature=["premium", "business"]
        )

    def test_the_refusal_names_the_tiers_that_have_it(self) -> None:
        with pytest.raises(Forbidden) as caught:
            require_feature(
                Feature.on_site_visit, tier="extended", tiers_with_feature=["premium", "business"]
            )

        assert caught.value.slug == "feature-not-in-tier"
        assert caught.value.extensions == {
            "feature": "on_site_visit",
            "tier": "extended",
            "tiers": ["premium", "business"],
        }
        assert "premium, business" in caught.value.detail

    def test_a_feature_no_tier_has_says_so(self) -> None:
        with pytest.raises(Forbidden, match="no tier includes it"):
            require_feature(Feature.scheduled_maintenance, tier="premium", tiers_with_feature=[])


class TestRemoteAccessWait:
    def wait(self, **overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "status": TicketStatus.in_progress,
            "ticket_type": "incident",
            "severity": "critical",
            "remote_access_available": False,
            "tier": "premium",
            "tiers_with_feature": TOP3,
            "actor": ActorKind.agent,
            "current_assignee": "ivanov",
        }
        fields.update(overrides)
        return wait_for_remote_access(**fields)

    def test_a_critical_incident_without_access_waits_for_the_customer(self) -> None:
        move = self.wait()

        assert move.to_status == TicketStatus.waiting_customer
        assert move.reason == REMOTE_ACCESS_REQUIRED == "remote_access_required"
        assert move.assignee == "ivanov"

    @pytest.mark.parametrize(
        ("overrides", "slug"),
        [
            ({"severity": "high"}, "remote-access-wait-not-critical"),
            ({"ticket_type": "service_request"}, "remote-access-wait-not-critical"),
            ({"remote_access_available": True}, "remote-access-available"),
            ({"status": TicketStatus.new}, "illegal-transition"),
        ],
    )
    def test_anything_else_is_a_conflict(self, overrides: dict[str, Any], slug: str) -> None:
        with pytest.raises(Conflict) as caught:
            self.wait(**overrides)

        assert caught.value.slug == slug

    def test_a_tier_without_remote_access_is_refused(self) -> None:
        with pytest.raises(Forbidden) as caught:
            self.wait(tier="standard")

        assert caught.value.extensions["tiers"] == TOP3

    def test_only_an_agent_puts_a_ticket_to_wait(self) -> None:
        with pytest.raises(Forbidden):
            self.wait(actor=ActorKind.customer)


class TestPhoneConfirmation:
    def record(self, **overrides: Any) -> PhoneConfirmation | None:
        fields: dict[str, Any] = {
            "status": TicketStatus.in_progress,
            "severity": "critical",
            "received_at": RECEIVED,
            "existing": None,
            "confirmation": CONFIRMED,
            "now": NOW,
        }
        fields.update(overrides)
        return record_phone_confirmation(**fields)

    def test_a_critical_ticket_records_who_and_when(self) -> None:
        assert self.record() == CONFIRMED

    def test_the_same_confirmation_again_is_a_replay(self) -> None:
        assert self.record(existing=CONFIRMED) is None

    def test_a_second_different_confirmation_is_refused(self) -> None:
        other = PhoneConfirmation("Boris", RECEIVED + timedelta(minutes=20), "agent-ivanov")

        with pytest.raises(Conflict, match="recorded once"):
            self.record(existing=CONFIRMED, confirmation=other)

    def test_only_critical_tickets_take_one(self) -> None:
        with pytest.raises(Conflict, match="critical tickets"):
            self.record(severity="high")

    def test_a_closed_ticket_takes_none(self) -> None:
        with pytest.raises(Conflict, match="record a phone confirmation"):
            self.record(status=TicketStatus.closed)

    @pytest.mark.parametrize(
        ("confirmation", "slug"),
        [
            (PhoneConfirmation(" ", RECEIVED, "agent"), "phone-confirmation-who"),
            (
                PhoneConfirmation("Anna", datetime(2026, 3, 4, 7, 30), "agent"),
                "phone-confirmation-when",
            ),
            (
                PhoneConfirmation("Anna", RECEIVED - timedelta(minutes=1), "agent"),
                "phone-confirmation-when",
            ),
            (
                PhoneConfirmation("Anna", NOW + timedelta(minutes=5), "agent"),
                "phone-confirmation-when",
            ),
        ],
    )
    def test_bad_who_or_when_is_refused(self, confirmation: PhoneConfirmation, slug: str) -> None:
        with pytest.raises(Unprocessable) as caught:
            self.record(confirmation=confirmation)

        assert caught.value.slug == slug


class TestResolutionStart:
    def test_by_default_the_clock_starts_at_registration(self) -> None:
        start = critical_resolution_start(
            severity="critical", received_at=RECEIVED, confirmation=CONFIRMED
        )

        assert start == RECEIVED

    def test_a_confirmation_policy_starts_critical_resolution_at_the_confirmation(self) -> None:
        confirmation = CriticalResolutionStart.confirmation

        assert (
            critical_resolution_start(
                severity="critical",
                received_at=RECEIVED,
                confirmation=CONFIRMED,
                starts=confirmation,
            )
            == CONFIRMED.confirmed_at
        )
        assert (
            critical_resolution_start(
                severity="critical", received_at=RECEIVED, confirmation=None, starts=confirmation
            )
            is None
        )
        assert (
            critical_resolution_start(
                severity="high", received_at=RECEIVED, confirmation=None, starts=confirmation
            )
            == RECEIVED
        )

    def test_the_policy_document_carries_the_choice_and_defaults_to_registration(self) -> None:
        bare = PolicyDocument.model_validate({"version": "v", "schedules": {}, "targets": {}})
        chosen = PolicyDocument.model_validate(
            {
                "version": "v",
                "schedules": {},
                "targets": {},
                "critical_resolution_starts": "confirmation",
            }
        )

        assert bare.critical_resolution_starts is CriticalResolutionStart.registration
        assert chosen.critical_resolution_starts is CriticalResolutionStart.confirmation


class TestPerformanceAnalysis:
    def test_the_subtype_is_a_service_request_of_a_tier_with_the_feature(self) -> None:
        check_subtype(
            ticket_type="service_request",
            subtype=ServiceSubtype.performance_analysis,
            tier="business",
            tiers_with_feature=["premium", "business"],
        )
        with pytest.raises(Unprocessable, match="kind of service_request"):
            check_subtype(
                ticket_type="incident",
                subtype=ServiceSubtype.performance_analysis,
                tier="premium",
                tiers_with_feature=["premium", "business"],
            )
        with pytest.raises(Forbidden) as caught:
            check_subtype(
                ticket_type="service_request",
                subtype=ServiceSubtype.performance_analysis,
                tier="extended",
                tiers_with_feature=["premium", "business"],
            )
        assert caught.value.extensions["feature"] == "performance_analysis"

    @pytest.mark.parametrize(
        "report",
        ["https://files.example.com/reports/perf-2026-03.pdf", "DOC-2026-0042", "a1b2:c3.d4_e5"],
    )
    def test_an_analysis_resolves_with_a_report_reference(self, report: str) -> None:
        subtype = ServiceSubtype.performance_analysis

        assert check_analysis_resolution(subtype=subtype, report=f" {report} ") == report

    @pytest.mark.parametrize(
        "report", [None, "", "  ", "ftp://x/y", "see attached", "http://", "x" * 501, "//host/p"]
    )
    def test_an_analysis_without_a_usable_reference_is_refused(self, report: str | None) -> None:
        with pytest.raises(Unprocessable) as caught:
            check_analysis_resolution(subtype=ServiceSubtype.performance_analysis, report=report)

        assert caught.value.slug == "analysis-report-required"

    def test_other_requests_resolve_as_before(self) -> None:
        assert check_analysis_resolution(subtype=None, report=None) is None
