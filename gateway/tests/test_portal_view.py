"""The customer portal's view model: next step, deadlines' wording, time zones, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest

from gateway.web.portal_view import (
    DeadlineState,
    NextStep,
    deadline,
    deadlines,
    duration_words,
    is_open,
    local_time,
    next_step,
    problem_slug,
    public_comments,
    refusal,
    zone,
)
from gateway.web.portal_words import EN, RU

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MOSCOW = zone(None)


class TestNextStep:
    @pytest.mark.parametrize(
        ("ticket", "expected"),
        [
            ({"status": "waiting_customer"}, NextStep.answer),
            ({"status": "resolved"}, NextStep.confirm),
            ({"status": "in_progress", "cr_status": "proposal_sent"}, NextStep.approve),
            ({"status": "new", "cr_status": "submitted"}, NextStep.nothing),
            ({"status": "in_progress"}, NextStep.nothing),
            ({"status": "closed"}, NextStep.nothing),
        ],
    )
    def test_the_move_the_ticket_waits_for(self, ticket: dict[str, str], expected: str) -> None:
        assert next_step(ticket) == expected

    def test_an_answer_comes_before_an_estimate(self) -> None:
        ticket = {"status": "waiting_customer", "cr_status": "proposal_sent"}
        assert next_step(ticket) == NextStep.answer

    def test_every_step_has_words_in_both_languages(self) -> None:
        for step in NextStep:
            assert EN[f"step.{step}"]
            assert RU[f"step.{step}"]


class TestTimes:
    def test_no_zone_is_moscow(self) -> None:
        assert str(zone(None)) == "Europe/Moscow"
        assert str(zone("")) == "Europe/Moscow"
        assert str(zone("Mars/Olympus_Mons")) == "Europe/Moscow"

    def test_the_customers_zone_is_used(self) -> None:
        vladivostok = zone("Asia/Vladivostok")
        assert local_time("2026-12-07T09:00:00+00:00", vladivostok, "ru").startswith(
            "07.12.2026 19:00"
        )

    def test_russian_and_english_styles_name_the_zone(self) -> None:
        assert local_time(NOW, MOSCOW, "ru") == "07.12.2026 12:00 MSK"
        assert local_time(NOW, MOSCOW, "en") == "7 Dec 2026, 12:00 MSK"

    def test_naive_text_is_read_as_utc_and_nothing_is_a_dash(self) -> None:
        assert local_time("2026-12-07T09:00:00", MOSCOW, "en") == "7 Dec 2026, 12:00 MSK"
        assert local_time(None, MOSCOW, "ru") == "—"

    @pytest.mark.parametrize(
        ("seconds", "lang", "words"),
        [
            (59, "en", "0 min"),
            (125 * 60, "en", "2 h 05 min"),
            (125 * 60, "ru", "2 ч 05 мин"),
            (26 * 3600, "en", "1 d 2 h"),
            (-30, "ru", "0 мин"),
        ],
    )
    def test_durations_in_words(self, seconds: float, lang: str, words: str) -> None:
        assert duration_words(seconds, lang) == words


class TestDeadlines:
    def test_a_running_timer_says_when_and_how_long(self) -> None:
        shown = deadline(
            {
                "timer": "resolution",
                "state": "running",
                "due_at": "2026-12-07T15:00:00+00:00",
                "working_time_left_seconds": 3 * 3600,
            },
            now=NOW,
            tz=MOSCOW,
            lang="ru",
        )
        assert shown.state is DeadlineState.running
        assert shown.due == "07.12.2026 18:00 MSK"
        assert shown.left == "3 ч 00 мин"

    def test_a_running_timer_past_its_due_is_overdue_before_sla_clock_says_so(self) -> None:
        shown = deadline(
            {"timer": "response", "state": "running", "due_at": "2026-12-07T08:00:00Z"},
            now=NOW,
            tz=MOSCOW,
            lang="en",
        )
        assert shown.state is DeadlineState.breached

    def test_breached_met_paused_and_no_target(self) -> None:
        def state(timer: dict[str, object]) -> DeadlineState:
            return deadline(timer, now=NOW, tz=MOSCOW, lang="en").state

        due = "2026-12-08T08:00:00+00:00"
        assert state({"state": "met", "due_at": due, "breached": True}) is DeadlineState.breached
        assert state({"state": "met", "due_at": due, "outcome": "met"}) is DeadlineState.met
        assert state({"state": "paused", "due_at": None}) is DeadlineState.paused
        assert state({"state": "running", "due_at": None}) is DeadlineState.none
        assert state({"state": "pending", "due_at": None}) is DeadlineState.none

    def test_a_finished_timer_shows_no_time_left(self) -> None:
        shown = deadline(
            {"state": "met", "due_at": "2026-12-08T08:00:00Z", "working_time_left_seconds": 60},
            now=NOW,
            tz=MOSCOW,
            lang="en",
        )
        assert shown.left == ""

    def test_response_comes_first(self) -> None:
        shown = deadlines(
            [{"timer": "resolution", "state": "running"}, {"timer": "response", "state": "met"}],
            now=NOW,
            tz=MOSCOW,
            lang="en",
        )
        assert [d.timer for d in shown] == ["response", "resolution"]

    def test_every_state_has_words_in_both_languages(self) -> None:
        for state in DeadlineState:
            assert EN[f"deadline.{state}"]
            assert RU[f"deadline.{state}"]


class TestComments:
    def test_internal_comments_never_reach_the_page(self) -> None:
        shown = public_comments(
            [
                {"body": "b", "public": True, "created_at": "2026-12-07T10:00:00Z"},
                {"body": "secret", "public": False, "created_at": "2026-12-07T09:00:00Z"},
                {"body": "a", "public": True, "created_at": "2026-12-07T08:00:00Z"},
                {"body": "unknown", "created_at": "2026-12-07T08:30:00Z"},
            ]
        )
        assert [c["body"] for c in shown] == ["a", "b"]


class TestRefusals:
    LIMIT: ClassVar[dict[str, object]] = {
        "type": "https://support.example/problems/open-ticket-limit",
        "title": "Conflict",
        "status": 409,
        "detail": "The standard tier allows 1 open ticket(s) at once and TP-2026-000001 is open",
    }

    def test_a_known_rule_is_worded_in_the_page_language_with_the_apis_detail(self) -> None:
        shown = refusal(self.LIMIT, RU)
        assert shown.message == RU["refusal.open-ticket-limit"]
        assert "TP-2026-000001" in shown.detail

    def test_an_unknown_problem_still_says_something(self) -> None:
        shown = refusal({"type": "about:blank", "detail": "Odd."}, EN)
        assert shown.message == EN["refusal.generic"]
        assert shown.detail == "Odd."
        assert problem_slug({"type": "about:blank"}) == ""

    def test_field_errors_are_tied_to_their_fields(self) -> None:
        shown = refusal(
            {
                "type": "https://x/problems/validation-error",
                "errors": [
                    {"field": "body.subject", "message": "too short"},
                    {"field": "body.subject", "message": "second"},
                    {"field": "severity", "message": "not one of"},
                ],
            },
            EN,
        )
        assert shown.fields == {"subject": "too short", "severity": "not one of"}

    def test_the_programmes_refusals_have_both_languages(self) -> None:
        for slug in (
            "open-ticket-limit",
            "contact-limit",
            "no-trained-specialist",
            "severity-capped",
            "not-entitled",
        ):
            assert EN[f"refusal.{slug}"]
            assert RU[f"refusal.{slug}"]

    def test_both_languages_have_the_same_words(self) -> None:
        assert set(EN) == set(RU)


def test_open_and_closed_tickets() -> None:
    assert is_open({"status": "resolved"})
    assert not is_open({"status": "closed_not_reproducible"})


class TestPageModel:
    """The portal's page functions that turn forms into API calls and answers into pages."""

    def test_a_new_ticket_is_a_web_ticket_of_the_signed_in_contact(self) -> None:
        from gateway.web.portal import ticket_body

        body = ticket_body(
            {"subject": "  Fails ", "type": "incident", "severity": "high", "product": " "},
            "ivan@acme.example",
        )
        assert body == {
            "contact_email": "ivan@acme.example",
            "channel": "web",
            "subject": "Fails",
            "description": "",
            "type": "incident",
            "severity": "high",
        }

    def test_each_move_is_the_api_call_of_the_contact(self) -> None:
        from gateway.web.portal import move_call

        me = {"kind": "customer", "contact_email": "ivan@acme.example"}
        assert move_call("comment", {"body": " v3.2 "}, me) == (
            "comments",
            {"body": "v3.2", "public": True, "actor": me},
        )
        assert move_call("confirm", {}, me) == ("transitions", {"action": "confirm", "actor": me})
        assert move_call("reopen", {"body": "still"}, me)[1]["reason"] == "still"
        assert move_call("approve", {"body": ""}, me) == (
            "steps",
            {"step": "approve", "actor": me},
        )
        assert move_call("decline", {"body": "too dear"}, me)[1]["comment"] == "too dear"

    def test_an_unknown_move_is_not_found(self) -> None:
        from gateway.web.deps import PageError
        from gateway.web.portal import move_call

        with pytest.raises(PageError) as refused:
            move_call("resolve", {}, {})
        assert refused.value.status == 404

    def test_the_ticket_page_shows_public_comments_and_the_estimate_only_when_asked(
        self,
    ) -> None:
        from gateway.web.portal import ticket_context

        data = {
            "ticket": {
                "status": "in_progress",
                "cr_status": "proposal_sent",
                "received_at": "2026-12-07T09:00:00Z",
            },
            "sla": None,
            "comments": [
                {"body": "hi", "public": True, "created_at": "2026-12-07T09:30:00Z"},
                {"body": "secret", "public": False, "created_at": "2026-12-07T09:40:00Z"},
            ],
            "change": {"details": {"cost": "120000"}},
            "zone": "Asia/Vladivostok",
        }
        shown = ticket_context(data, lang="ru", now=NOW)
        assert shown["step"] == "approve"
        assert shown["estimate"] == {"cost": "120000"}
        assert [c["body"] for c in shown["comments"]] == ["hi"]
        assert shown["comments"][0]["when"].startswith("07.12.2026 19:30")
        assert shown["deadlines"] is None  # sla-clock has not answered yet
        assert shown["zone"] == "Asia/Vladivostok"

        closed = ticket_context({**data, "ticket": {"status": "closed"}}, lang="en", now=NOW)
        assert closed["step"] == "done"
        assert closed["estimate"] is None
        assert not closed["can_comment"]


class TestUnavailable:
    """A service that cannot be reached is the error page, never a 500."""

    async def _raises(self, exc: Exception) -> int:
        from gateway.web.deps import PageError
        from gateway.web.forms import unavailable_as_page

        async def handler() -> Any:
            raise exc

        with pytest.raises(PageError) as shown:
            await unavailable_as_page(handler)()
        return shown.value.status

    @pytest.mark.asyncio
    async def test_an_unreachable_service_is_503(self) -> None:
        import httpx

        assert await self._raises(httpx.ConnectError("refused")) == 503

    @pytest.mark.asyncio
    async def test_a_refused_read_keeps_its_status(self) -> None:
        from gateway.web.deps import ApiError

        assert await self._raises(ApiError(502, {"detail": "bad gateway"})) == 502
