"""Templates: every template renders in both languages, with the number in the subject."""

from __future__ import annotations

from typing import Any

import pytest

from notification.domain.templates import LANGUAGES, TEMPLATES, language_of, local_time, render

CONTEXT: dict[str, Any] = {
    "ticket_id": "0190-ticket",
    "registration_number": "TP-2026-000123",
    "title": "Cannot post <documents>",
    "severity": "high",
    "severity_capped": True,
    "timezone": "Asia/Yekaterinburg",
    "response_due": "2026-11-30T08:00:00+00:00",
    "resolution_due": "2026-12-01T08:00:00+00:00",
    "name": "Anna",
    "author": "Ivan",
    "body": "Please restart the service.",
    "status": "closed",
    "reason": "need logs",
    "auto_close_at": "2026-12-03T08:00:00+00:00",
    "details": {"estimate_hours": 16},
    "level": 2,
    "trigger": "sla.timer.breached",
    "timer": "resolution",
    "percent": None,
    "line": 2,
    "due_at": "2026-11-30T09:00:00+00:00",
    "kind": "breached",
    "product": "Desk",
    "version": "5.1",
    "notes": "Fixes posting.",
    "link": "https://desk.example/portal/signin/tok",
    "minutes": "15",
    "hours": "48",
    "customer_name": "Acme",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_renders_subject_text_and_html(name: str, language: str) -> None:
    out = render(name, language, CONTEXT)
    assert out.subject
    assert "\n" not in out.subject
    assert out.text.strip()
    assert out.html.startswith("<!DOCTYPE html>")
    assert f'lang="{language}"' in out.html
    if name != "release_published":
        assert "[TP-2026-000123]" in out.subject


def test_registration_shows_deadlines_in_the_customers_time_zone_and_the_cap() -> None:
    ru = render("ticket_registered", "ru", CONTEXT)
    assert "2026-11-30 13:00 (Asia/Yekaterinburg)" in ru.text  # 08:00 UTC is 13:00 there
    assert "понижена" in ru.text
    en = render("ticket_registered", "en", CONTEXT)
    assert "Response due: 2026-11-30 13:00 (Asia/Yekaterinburg)" in en.text
    assert "capped" in en.text


def test_html_part_is_escaped_but_text_is_not() -> None:
    out = render("ticket_registered", "en", CONTEXT)
    assert "Cannot post &lt;documents&gt;" in out.html
    assert "Cannot post <documents>" in out.text


def test_unknown_language_falls_back_to_russian() -> None:
    assert language_of("de") == "ru"
    assert language_of("en-GB") == "en"
    assert language_of(None) == "ru"
    assert "Здравствуйте" in render("ticket_registered", "de", CONTEXT).text


def test_missing_deadline_renders_a_dash() -> None:
    assert local_time(None) == "—"
    out = render("ticket_registered", "en", {**CONTEXT, "response_due": None})
    assert "Response due: —" in out.text


def test_a_subject_without_the_number_gets_it() -> None:
    out = render("escalation", "en", {**CONTEXT, "registration_number": "TP-2026-000999"})
    assert out.subject.startswith("[TP-2026-000999]")


def test_unknown_template_is_refused() -> None:
    with pytest.raises(KeyError):
        render("nope", "ru", CONTEXT)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sign_in_mail_carries_its_link_and_lifetime(language: str) -> None:
    out = render(
        "sign_in",
        language,
        {"link": "https://d.example/portal/signin/t", "minutes": "15", "customer_name": "Acme"},
    )

    assert "https://d.example/portal/signin/t" in out.text
    assert "15" in out.text
    assert "[" not in out.subject  # no ticket: no number
