"""Message texts: Jinja2 templates per language, rendered to subject, plain text and HTML.

Each template ``templates/<lang>/<name>.j2`` defines two blocks, ``subject`` and
``text``; the HTML part is the text laid out by ``templates/layout.html.j2`` (escaped),
so the two parts never say different things. A recipient whose language has no
template gets Russian, the platform's default. Every subject about a ticket carries its
registration number in brackets (``[TP-2026-000123]``), so a reply finds its ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notification.domain.wording import ola_what, what_happened

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATES = (
    "ticket_registered",
    "agent_comment",
    "waiting_customer",
    "resolved",
    "closed",
    "cr_estimate",
    "cr_delivered",
    "escalation",
    "ola",
    "release_published",
    "sender_unknown",  # the bilingual answer to mail from no contact (domain.answers)
    "sign_in",
    "staff_invitation",
)


@dataclass(frozen=True)
class Rendered:
    """One message, ready for any channel."""

    subject: str
    text: str
    html: str


def language_of(value: str | None) -> str:
    """A supported language for ``value`` (``en-GB`` → ``en``), else the default."""
    lang = (value or "").strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def local_time(value: str | datetime | None, tz: str | None = None) -> str:
    """``2026-11-30 10:00 (Europe/Moscow)``: an instant in the customer's time zone."""
    if value in (None, ""):
        return "—"
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    try:
        zone = ZoneInfo(tz or "Europe/Moscow")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Europe/Moscow")
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["local"] = local_time
    # Event types stay in the events: messages say what happened in words.
    env.globals["what_happened"] = what_happened
    env.globals["ola_what"] = ola_what
    return env


_ENV = _environment()


def render(name: str, language: str | None, context: dict[str, Any]) -> Rendered:
    """Render template ``name`` in the recipient's language."""
    if name not in TEMPLATES:
        raise KeyError(f"unknown template {name!r}")
    lang = language_of(language)
    template = _ENV.get_template(f"{lang}/{name}.j2")
    ctx = template.new_context({"lang": lang, **context})
    subject = " ".join("".join(template.blocks["subject"](ctx)).split())
    text = "".join(template.blocks["text"](ctx)).strip() + "\n"
    number = context.get("registration_number")
    if number and f"[{number}]" not in subject:
        subject = f"[{number}] {subject}"
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    html = _ENV.get_template("layout.html.j2").render(
        lang=lang, subject=subject, paragraphs=[p.splitlines() for p in paragraphs]
    )
    return Rendered(subject=subject, text=text, html=html)
