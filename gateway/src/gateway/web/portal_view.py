"""What the customer portal shows, computed without I/O (docs/web.md, "Customer portal").

The page handlers in :mod:`gateway.web.portal` read tickets, deadlines and
comments from the ``/api/v1`` routes as the signed-in contact and hand the JSON to
these functions; everything a person reads (the next step expected of them, a
deadline in their time zone and language, a refusal in words) is decided here, so
it is unit-tested without a browser, a database or a service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Moscow"
"""The programme's own zone: a customer without a time zone of its own reads Moscow time."""

PROBLEM_PREFIX = "/problems/"

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class NextStep(StrEnum):
    """What the ticket waits for from the contact, if anything."""

    answer = "answer"  # the agent asked something: the ticket waits for the customer
    confirm = "confirm"  # resolved: confirm the resolution, or reopen
    approve = "approve"  # a change request's estimate was sent: approve or decline it
    nothing = "nothing"


def next_step(ticket: Mapping[str, Any]) -> NextStep:
    """The move the ticket waits for from its customer (intake's lifecycle and CR tables).

    A ticket waiting for the customer needs an answer; a resolved one a confirmation
    (or an objection); a change request whose proposal was sent needs the customer's
    approval or refusal of the estimate. Anything else is the vendor's move.
    """
    status = ticket.get("status")
    if status == "waiting_customer":
        return NextStep.answer
    if status == "resolved":
        return NextStep.confirm
    if ticket.get("cr_status") == "proposal_sent":
        return NextStep.approve
    return NextStep.nothing


def zone(name: str | None) -> ZoneInfo:
    """The customer's zone, or Moscow when it has none or names one this host lacks."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_ZONE)


def parse_instant(value: datetime | str | None) -> datetime | None:
    """An API instant (ISO 8601 text, or a datetime) as an aware datetime; None stays None."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(value: datetime | str | None, tz: ZoneInfo, lang: str) -> str:
    """An instant as the contact reads it: in their zone, Russian or English style.

    ``07.12.2026 10:15 MSK`` in Russian, ``7 Dec 2026, 10:15 MSK`` in English; the
    zone's abbreviation (or UTC offset) follows, so a time is never ambiguous.
    """
    moment = parse_instant(value)
    if moment is None:
        return "—"
    here = moment.astimezone(tz)
    name = here.tzname() or ""
    if lang == "ru":
        return f"{here:%d.%m.%Y %H:%M} {name}".strip()
    return f"{here.day} {_MONTHS_EN[here.month - 1]} {here.year}, {here:%H:%M} {name}".strip()


def duration_words(seconds: float, lang: str) -> str:
    """A span as words: ``2 h 05 min`` / ``2 ч 05 мин``; days when it is a day or more."""
    total = max(int(seconds // 60), 0)
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    unit_d, unit_h, unit_m = ("д", "ч", "мин") if lang == "ru" else ("d", "h", "min")
    if days:
        return f"{days} {unit_d} {hours} {unit_h}"
    if hours:
        return f"{hours} {unit_h} {minutes:02d} {unit_m}"
    return f"{minutes} {unit_m}"


class DeadlineState(StrEnum):
    """How a deadline stands, as the page colours and words it."""

    running = "running"
    paused = "paused"
    met = "met"
    breached = "breached"
    none = "none"  # no target (a basic tier's resolution) or not started


@dataclass(frozen=True)
class Deadline:
    """One timer as the portal shows it: which, when due, and where it stands."""

    timer: str  # response | resolution
    state: DeadlineState
    due: str  # local time, or "—"
    left: str  # working time left in words, or ""
    due_at: str = ""  # the due instant, ISO 8601, for a page's live countdown (the desk's)


def deadline(timer: Mapping[str, Any], *, now: datetime, tz: ZoneInfo, lang: str) -> Deadline:
    """A timer of sla-clock's ticket view (or intake's SLA summary) as the portal words it.

    Working time left comes from sla-clock (``working_time_left_seconds``: it knows
    the schedule); intake's summary lacks it, so the list shows the due time alone.
    """
    state_name = timer.get("state")
    due_at = parse_instant(timer.get("due_at"))
    breached = bool(timer.get("breached")) or timer.get("outcome") == "breached"
    if breached:
        state = DeadlineState.breached
    elif state_name == "met":
        state = DeadlineState.met
    elif state_name == "paused":
        state = DeadlineState.paused
    elif state_name == "running" and due_at is not None:
        state = DeadlineState.breached if due_at <= now else DeadlineState.running
    else:
        state = DeadlineState.none
    left_seconds = timer.get("working_time_left_seconds")
    left = ""
    if state in (DeadlineState.running, DeadlineState.paused) and left_seconds is not None:
        left = duration_words(float(left_seconds), lang)
    return Deadline(
        timer=str(timer.get("timer", "")),
        state=state,
        due=local_time(due_at, tz, lang) if state is not DeadlineState.none else "—",
        left=left,
        due_at=due_at.isoformat() if due_at and state is DeadlineState.running else "",
    )


def deadlines(
    timers: Iterable[Mapping[str, Any]], *, now: datetime, tz: ZoneInfo, lang: str
) -> list[Deadline]:
    """Every timer, response first (the order the programme names them)."""
    order = {"response": 0, "resolution": 1}
    ranked = sorted(timers, key=lambda t: order.get(str(t.get("timer")), 2))
    return [deadline(t, now=now, tz=tz, lang=lang) for t in ranked]


def public_comments(comments: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Only public comments, oldest first: an internal note never reaches a customer's page.

    intake already leaves internal comments out for a customer's principal; this is
    the second lock on the same door, should a staff principal ever render the portal.
    """
    shown = [c for c in comments if c.get("public") is True]
    return sorted(shown, key=lambda c: str(c.get("created_at", "")))


def problem_slug(problem: Mapping[str, Any]) -> str:
    """The problem's slug, the last part of its ``type`` URI (``about:blank`` → "")."""
    kind = str(problem.get("type", ""))
    return kind.rsplit(PROBLEM_PREFIX, 1)[1] if PROBLEM_PREFIX in kind else ""


@dataclass(frozen=True)
class Refusal:
    """A refused action as the page shows it.

    ``message`` is in the page's language when the refusal is one the portal knows
    (the programme's rules); ``detail`` is the API's own explanation, in English,
    always shown as well because it names the specifics (which ticket is open, which
    tiers include a feature). ``fields`` ties invalid input to its form field.
    """

    message: str
    detail: str
    fields: dict[str, str]


def refusal(
    problem: Mapping[str, Any], words: Mapping[str, str], *, prefix: str = "refusal."
) -> Refusal:
    """A problem+json answer as words for the reader: the rule, the API's detail, the fields.

    ``prefix`` picks whose words: the portal's (``refusal.``, to a contact) or the
    desk's (``desk.refusal.``, to an agent).
    """
    slug = problem_slug(problem)
    message = words.get(f"{prefix}{slug}") or words.get(f"{prefix}generic", "")
    fields: dict[str, str] = {}
    for error in problem.get("errors") or []:
        field = str(error.get("field", "")).split(".")[-1]
        if field and field not in fields:
            fields[field] = str(error.get("message", ""))
    return Refusal(message=message, detail=str(problem.get("detail", "")), fields=fields)


STATUS_TONE = {
    "new": "info",
    "in_progress": "info",
    "waiting_customer": "action",
    "resolved": "action",
    "closed": "done",
    "rejected_out_of_scope": "done",
    "closed_not_reproducible": "done",
    "closed_not_product_issue": "done",
}
"""Which statuses call for the contact (``action``), which are finished (``done``)."""


def is_open(ticket: Mapping[str, Any]) -> bool:
    """Whether a ticket is still open (not closed in any of the programme's ways)."""
    return STATUS_TONE.get(str(ticket.get("status")), "info") != "done"
