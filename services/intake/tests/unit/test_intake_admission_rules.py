"""Admission rules, actors and the auto-close instant, without I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.domain.actors import ActorKind, resolve_actor
from intake.domain.closing import auto_close_at
from intake.domain.model import (
    Severity,
    admitted_severity,
    check_generic_channel,
    local_features,
    registration_number,
    tiers_with,
)
from shared.errors import Forbidden, Unprocessable


class TestAdmission:
    @pytest.mark.parametrize("requested", [Severity.critical, Severity.high])
    def test_basic_caps_at_medium(self, requested: Severity) -> None:
        assert admitted_severity("basic", requested) == (Severity.medium, True)

    def test_standard_keeps_severity(self) -> None:
        assert admitted_severity("standard", Severity.critical) == (Severity.critical, False)

    def test_registration_number_format(self) -> None:
        assert registration_number("TP", 2026, 123) == "TP-2026-000123"

    def test_local_table_matches_the_rules(self) -> None:
        assert local_features("extended")["remote_access"] is True
        assert local_features("extended")["on_site_visit"] is False
        assert local_features("basic")["critical_incidents"] is False
        assert tiers_with("on_site_visit") == ["premium", "business"]

    def test_catalogue_from_entitlement_wins(self) -> None:
        catalogue = {"premium": {"x": True}, "basic": {"x": True}, "standard": {"x": False}}
        assert tiers_with("x", catalogue) == ["premium", "basic"]


class TestGenericChannel:
    @pytest.mark.parametrize(
        ("channel", "endpoint"),
        [("email", "/api/v1/intake/email"), ("chat", "/api/v1/intake/chat")],
    )
    def test_email_and_chat_are_sent_to_their_own_endpoints(
        self, channel: str, endpoint: str
    ) -> None:
        with pytest.raises(Unprocessable) as err:
            check_generic_channel(channel)
        assert err.value.extensions["field"] == "channel"
        assert err.value.extensions["endpoint"] == endpoint
        assert endpoint in err.value.detail

    @pytest.mark.parametrize("channel", ["api", "web", "phone"])
    def test_other_channels_pass(self, channel: str) -> None:
        check_generic_channel(channel)


class TestActor:
    def test_staff_key_defaults_to_agent(self) -> None:
        actor = resolve_actor(role="agent", customer_bound=False, principal_id="k1", kind=None)
        assert (actor.kind, actor.name) == (ActorKind.agent, "k1")

    def test_staff_key_may_act_for_a_customer(self) -> None:
        actor = resolve_actor(
            role="admin",
            customer_bound=False,
            principal_id="k",
            kind="customer",
            contact_email="a@b.c",
        )
        assert (actor.kind, actor.contact_email) == (ActorKind.customer, "a@b.c")

    @pytest.mark.parametrize(("role", "bound"), [("bot", False), ("agent", True), (None, False)])
    def test_non_staff_never_acts_as_agent(self, role: str | None, bound: bool) -> None:
        with pytest.raises(Forbidden):
            resolve_actor(role=role, customer_bound=bound, principal_id=None, kind="agent")

    def test_customer_needs_a_contact(self) -> None:
        with pytest.raises(Unprocessable):
            resolve_actor(role="bot", customer_bound=False, principal_id=None, kind=None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class TestAutoClose:
    def test_24x7_counts_calendar_days(self) -> None:
        assert auto_close_at(utc(2026, 11, 27, 22), tier="premium", working_days=3) == utc(
            2026, 11, 30, 22
        )

    def test_8x5_skips_the_weekend(self) -> None:
        # Friday 12:00 Moscow (09:00 UTC) + 3 working days = Wednesday 12:00 Moscow.
        assert auto_close_at(utc(2026, 11, 27, 9), tier="standard", working_days=3) == utc(
            2026, 12, 2, 9
        )

    def test_8x5_outside_hours_counts_from_the_next_opening(self) -> None:
        # Saturday evening -> Monday 09:00 Moscow opening -> Thursday 09:00 Moscow (06:00 UTC).
        assert auto_close_at(utc(2026, 11, 28, 18), tier="basic", working_days=3) == utc(
            2026, 12, 3, 6
        )
