"""Admission rules, actors and the auto-close instant, without I/O."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from intake.domain.actors import ActorKind, resolve_actor
from intake.domain.closing import auto_close_at
from intake.domain.model import check_generic_channel, registration_number
from shared.auth import Principal, Role
from shared.errors import Forbidden, Unprocessable


class TestAdmission:
    def test_registration_number_format(self) -> None:
        assert registration_number("TP", 2026, 123) == "TP-2026-000123"


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
        actor = resolve_actor(Principal("k1", Role.agent), kind=None)
        assert (actor.kind, actor.name) == (ActorKind.agent, "k1")

    def test_staff_key_may_act_for_a_customer(self) -> None:
        actor = resolve_actor(Principal("k", Role.admin), kind="customer", contact_email="a@b.c")
        assert (actor.kind, actor.contact_email) == (ActorKind.customer, "a@b.c")

    @pytest.mark.parametrize(
        ("role", "bound"), [(Role.bot, True), (Role.customer, True), (Role.agent, True)]
    )
    def test_non_staff_never_acts_as_agent(self, role: Role, bound: bool) -> None:
        who = Principal("k", role, uuid.uuid4() if bound else None)
        with pytest.raises(Forbidden):
            resolve_actor(who, kind="agent")

    def test_customer_needs_a_contact(self) -> None:
        with pytest.raises(Unprocessable):
            resolve_actor(Principal("k", Role.bot, uuid.uuid4()), kind=None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class TestAutoClose:
    def test_24x7_counts_calendar_days(self) -> None:
        policy = {"version": "t", "schedules": {"premium": {"kind": "24x7"}}, "targets": {}}
        at = auto_close_at(utc(2026, 11, 27, 22), tier="premium", working_days=3, policy=policy)
        assert at == utc(2026, 11, 30, 22)

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
