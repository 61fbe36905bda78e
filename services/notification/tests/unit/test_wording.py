"""Words for people: every staff message says what happened, never an event type.

Renders every template in both languages, for every event notification tells staff
about (SLA warnings at 50/75/90 %, breaches of response and resolution, each level,
manual moves, OLA warnings and breaches), and checks no dotted event type reaches a
subject or a body, and that each distinct event has its own subject.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from notification.domain.planning import to_staff
from notification.domain.templates import LANGUAGES, TEMPLATES, render
from notification.domain.wording import duration, what_happened
from shared.events.escalations import EscalationRaised, OlaBreached, OlaWarning, Recipient

DOTTED = re.compile(r"\b[a-z]+\.[a-z_]+(\.[a-z_]+)*\b")  # also ola.breached
DUE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _people() -> list[Recipient]:
    return [
        Recipient(role="line_lead", name="Anna", email="anna@example.com", language="ru"),
        Recipient(role="on_duty", name="Bob", email="bob@example.com", language="en"),
    ]


def _events() -> list[EscalationRaised | OlaWarning | OlaBreached]:
    ticket = uuid4()
    common: dict[str, Any] = {
        "ticket_id": ticket,
        "registration_number": "TP-2026-000123",
        "recipients": _people(),
    }
    events: list[EscalationRaised | OlaWarning | OlaBreached] = []
    for timer in ("response", "resolution"):
        for percent, left in ((50, 130), (75, 65), (90, 26)):
            events.append(
                EscalationRaised(
                    **common,
                    level=1,
                    trigger="sla.timer.warning",
                    timer=timer,
                    percent=percent,
                    remaining_minutes=left,
                )
            )
        for level in (1, 2, 3):
            events.append(
                EscalationRaised(**common, level=level, trigger="sla.timer.breached", timer=timer)
            )
    events.append(EscalationRaised(**common, level=2, trigger="manual", reason="needs a DBA"))
    events.append(EscalationRaised(**common, level=2, trigger="ola.breached"))
    events.append(OlaWarning(**common, line=2, due_at=DUE, percent=75))
    events.append(OlaBreached(**common, line=2, due_at=DUE))
    return events


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_dotted_event_type_in_any_staff_message(language: str) -> None:
    subjects: list[str] = []
    for event in _events():
        for planned in to_staff(event, "Europe/Moscow"):
            out = render(planned.template, language, planned.context)
            for line in [out.subject, *out.text.splitlines()]:
                assert not DOTTED.search(line), (event.TYPE, line)
            assert not DOTTED.search(out.html)
            subjects.append(out.subject)
    # Two recipients each; every distinct event has its own subject.
    assert len(set(subjects)) == len(subjects) // 2


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", TEMPLATES)
def test_no_template_shows_the_trigger_it_is_given(name: str, language: str) -> None:
    context: dict[str, Any] = {
        "ticket_id": "t",
        "registration_number": "TP-2026-000001",
        "title": "x",
        "severity": "high",
        "severity_capped": False,
        "timezone": "Europe/Moscow",
        "response_due": None,
        "resolution_due": None,
        "name": "Anna",
        "author": "Ivan",
        "body": "ok",
        "status": "closed",
        "reason": None,
        "auto_close_at": None,
        "details": {},
        "level": 1,
        "trigger": "sla.timer.warning",
        "timer": "response",
        "percent": 75,
        "remaining_minutes": 65,
        "line": 1,
        "due_at": DUE.isoformat(),
        "kind": "warning",
        "product": "Desk",
        "version": "5.1",
        "notes": "",
        "link": "<link>",
        "minutes": "15",
        "hours": "48",
        "customer_name": "Acme",
    }
    out = render(name, language, context)
    assert not DOTTED.search(out.subject + "\n" + out.text)


def test_the_words_of_the_issue() -> None:
    assert what_happened("en", trigger="sla.timer.breached", timer="response") == (
        "Response deadline passed"
    )
    assert what_happened("ru", trigger="sla.timer.breached", timer="response") == (
        "Срок реакции истёк"
    )
    assert what_happened(
        "en", trigger="sla.timer.warning", timer="resolution", percent=75, remaining_minutes=65
    ) == ("75 % of the resolution time used, 1 h 05 min of working time left")
    assert what_happened(
        "ru", trigger="sla.timer.warning", timer="resolution", percent=75, remaining_minutes=65
    ) == ("Использовано 75 % времени на решение, осталось 1 ч 05 мин рабочего времени")


def test_subjects_in_both_languages() -> None:
    event = EscalationRaised(
        ticket_id=uuid4(),
        registration_number="TP-2026-000123",
        level=2,
        trigger="sla.timer.breached",
        timer="resolution",
        recipients=_people(),
    )
    anna, bob = to_staff(event, None)
    assert render(anna.template, anna.language, anna.context).subject == (
        "[TP-2026-000123] Эскалация, уровень 2: Срок решения истёк"
    )
    assert render(bob.template, bob.language, bob.context).subject == (
        "[TP-2026-000123] Escalation level 2: Resolution deadline passed"
    )


def test_a_warning_without_remaining_time_names_the_percentage_only() -> None:
    assert what_happened("en", trigger="sla.timer.warning", timer="response", percent=90) == (
        "90 % of the response time used"
    )
    assert duration(5, "ru") == "5 мин"
    assert duration(120, "en") == "2 h"
