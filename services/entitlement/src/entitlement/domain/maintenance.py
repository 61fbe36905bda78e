"""Scheduled maintenance (premium): the plan on a contract and the occurrences it yields.

Pure code. A plan says what is maintained and how often (an RFC 5545 RRULE read by
``python-dateutil``), in the customer's time zone, and when the work may happen: within
the customer's working time (a :class:`~shared.worktime.Schedule`, by default 8x5 on the
Russian production calendar in the plan's zone) or within an agreed window (weekdays and
a local time range). An occurrence the rule puts outside that is moved to the next allowed
instant or skipped, as the plan says, and the outcome names the reason.

Each occurrence has a key built from the plan id and the *original* instant the rule
produced, so moving it never changes its identity: the key is what the database makes
unique, and that is what makes "one ticket per occurrence" hold across restarts and
replicas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule as RRule, rrulestr

from entitlement.domain.calendar import zone
from shared.errors import Unprocessable
from shared.worktime.schedule import Schedule, ScheduleKind
from shared.worktime.worktime import next_opening, to_utc

__all__ = [
    "MAX_MOVE",
    "AgreedWindow",
    "Frequency",
    "MaintenancePlan",
    "Occurrence",
    "OccurrenceOutcome",
    "OutsideWindow",
    "Override",
    "OverrideKind",
    "WindowKind",
    "due_occurrences",
    "next_occurrences",
    "occurrence_key",
    "working_schedule",
]

MAX_MOVE = timedelta(days=31)
"""The furthest an occurrence is moved; an occurrence with no allowed instant by then is
skipped. It also bounds how far back :func:`due_occurrences` looks."""

_NAMESPACE = UUID("6f1c3f0e-2b8f-5d0a-9a43-4a1e6f0c7d21")
_FIRST_WITHIN = timedelta(days=2 * 366)
_MAX_LEAD = timedelta(days=60)

_FREQ_RULE: dict[str, tuple[str, int]] = {
    "weekly": ("WEEKLY", 1),
    "monthly": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3),
}


class Frequency(StrEnum):
    """How often a plan's work recurs; the RRULE must say the same."""

    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"


class WindowKind(StrEnum):
    """Where the work may be done: in working time or in a window agreed with the customer."""

    working_time = "working_time"
    agreed = "agreed"


class OutsideWindow(StrEnum):
    """What becomes of an occurrence the rule puts outside the allowed time."""

    move = "move"
    skip = "skip"


class OccurrenceOutcome(StrEnum):
    """What the platform does with one occurrence of the rule."""

    scheduled = "scheduled"
    moved = "moved"
    skipped = "skipped"


class OverrideKind(StrEnum):
    """An agent's decision on one occurrence, recorded like the automatic ones."""

    skip = "skip"
    move = "move"


@dataclass(frozen=True)
class AgreedWindow:
    """Weekdays (0 = Monday) and a local time range ``[starts, ends)``.

    A range that ends at or before it starts runs past midnight (22:00-02:00).
    """

    weekdays: frozenset[int]
    starts: time
    ends: time

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise Unprocessable(
                "An agreed window needs weekdays, numbers 0 (Monday) to 6 (Sunday).",
                slug="maintenance-window",
            )
        if self.starts == self.ends:
            raise Unprocessable(
                "An agreed window must not be empty: give different start and end times.",
                slug="maintenance-window",
            )

    def local_windows(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """Return the window opening on ``day`` as naive local datetimes (or nothing)."""
        if day.weekday() not in self.weekdays:
            return ()
        end_day = day if self.ends > self.starts else day + timedelta(days=1)
        return ((datetime.combine(day, self.starts), datetime.combine(end_day, self.ends)),)


@dataclass(frozen=True)
class MaintenancePlan:
    """A premium contract's maintenance plan; validated when built."""

    plan_id: UUID
    customer_id: UUID
    what: str
    frequency: Frequency
    rrule: str
    timezone: str
    starts_at: datetime  # local wall-clock time of the first occurrence (DTSTART), naive
    lead: timedelta
    window: WindowKind = WindowKind.working_time
    agreed_window: AgreedWindow | None = None
    outside_window: OutsideWindow = OutsideWindow.move
    _rule: RRule = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.what.strip():
            raise Unprocessable('Say what is maintained in "what".', slug="maintenance-plan")
        _zone(self.timezone)
        if self.starts_at.tzinfo is not None:
            raise Unprocessable(
                "starts_at is a wall-clock time in the plan's time zone: send it without an "
                "offset.",
                slug="maintenance-plan",
            )
        if not timedelta(0) <= self.lead <= _MAX_LEAD:
            raise Unprocessable(
                f"The lead time must lie between 0 and {_MAX_LEAD.days} days.",
                slug="maintenance-plan",
            )
        if (self.window is WindowKind.agreed) != (self.agreed_window is not None):
            raise Unprocessable(
                'An agreed window goes with window "agreed", and only with it.',
                slug="maintenance-window",
            )
        object.__setattr__(self, "_rule", _parse_rule(self))

    @property
    def zone(self) -> ZoneInfo:
        """Return the customer's time zone."""
        return _zone(self.timezone)

    def instants(self, after: datetime) -> Iterator[datetime]:
        """Yield the rule's instants (aware UTC) at or after ``after``, in order.

        Local times are read with ``fold=0`` (PEP 495): a wall-clock time skipped by a
        daylight-saving change maps to the instant with the offset in force before it.
        """
        local_after = to_utc(after, "after").astimezone(self.zone).replace(tzinfo=None)
        for local in self._rule.xafter(local_after, inc=True):
            yield local.replace(tzinfo=self.zone).astimezone(UTC)


@dataclass(frozen=True)
class Override:
    """An agent's skip or move of one occurrence, with the reason."""

    kind: OverrideKind
    reason: str
    to: datetime | None = None

    def __post_init__(self) -> None:
        if (self.kind is OverrideKind.move) != (self.to is not None):
            raise Unprocessable(
                'Moving an occurrence needs the new instant in "to"; skipping takes none.',
                slug="maintenance-override",
            )
        if not self.reason.strip():
            raise Unprocessable('Say why in "reason".', slug="maintenance-override")
        if self.to is not None and self.to.utcoffset() is None:
            raise Unprocessable(
                "Give the new instant with its offset (e.g. 2026-12-05T10:00:00+03:00).",
                slug="maintenance-override",
            )


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: where the rule put it, where it happens, and when its ticket opens."""

    plan_id: UUID
    original_at: datetime
    outcome: OccurrenceOutcome
    scheduled_at: datetime | None
    opens_at: datetime
    reason: str | None = None

    @property
    def key(self) -> str:
        """Return the occurrence's identity (unique in the database), stable under moves."""
        return occurrence_key(self.plan_id, self.original_at)

    @property
    def occurrence_id(self) -> UUID:
        """Return a UUID derived from the key, for rows and for the ticket's source id."""
        return uuid5(_NAMESPACE, self.key)


def occurrence_key(plan_id: UUID, original_at: datetime) -> str:
    """Build ``<plan id>@<original instant in UTC>``: the same inputs give the same key."""
    instant = to_utc(original_at, "original_at").strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{plan_id}@{instant}"


def working_schedule(timezone: str) -> Schedule:
    """Return the default working time of a plan: 8x5 on the RF calendar, in its zone."""
    return Schedule(kind=ScheduleKind.business_hours, timezone=timezone)


def next_occurrences(
    plan: MaintenancePlan,
    *,
    after: datetime,
    count: int,
    schedule: Schedule | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> list[Occurrence]:
    """Return the next ``count`` occurrences whose original instant is at or after ``after``.

    ``overrides`` maps occurrence keys to an agent's skip or move.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    resolver = _Resolver(plan, schedule or working_schedule(plan.timezone), overrides or {})
    result: list[Occurrence] = []
    for instant in plan.instants(after):
        if len(result) >= count:
            break
        result.append(resolver.resolve(instant))
    return result


def due_occurrences(
    plan: MaintenancePlan,
    *,
    since: datetime,
    now: datetime,
    schedule: Schedule | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> list[Occurrence]:
    """Return the occurrences whose ticket opens (or skip is announced) in ``(since, now]``.

    A scheduler that keeps ``since`` as its watermark sees every occurrence once even
    after a pause; one that loses it may see one again, and the key's unique constraint
    turns that into nothing.
    """
    since, now = to_utc(since, "since"), to_utc(now, "now")
    resolver = _Resolver(plan, schedule or working_schedule(plan.timezone), overrides or {})
    result: list[Occurrence] = []
    # A move shifts an occurrence by at most MAX_MOVE; the ticket opens `lead` early.
    for instant in plan.instants(since - MAX_MOVE):
        if instant - plan.lead - MAX_MOVE > now:
            break
        occurrence = resolver.resolve(instant)
        if since < occurrence.opens_at <= now:
            result.append(occurrence)
    return result


@dataclass(frozen=True)
class _Resolver:
    """Decide each occurrence: scheduled as the rule says, moved, or skipped."""

    plan: MaintenancePlan
    schedule: Schedule
    overrides: Mapping[str, Override]

    def resolve(self, original: datetime) -> Occurrence:
        override = self.overrides.get(occurrence_key(self.plan.plan_id, original))
        if override is not None:
            if override.to is not None and abs(override.to - original) > MAX_MOVE:
                raise Unprocessable(
                    f"An occurrence moves by at most {MAX_MOVE.days} days; skip it instead.",
                    slug="maintenance-override",
                )
            return self._occurrence(original, override.to, override.reason, override=True)
        allowed = self._next_allowed(original)
        if allowed == original:
            return self._occurrence(original, original, None)
        reason = (
            "outside_working_time"
            if self.plan.window is WindowKind.working_time
            else "outside_agreed_window"
        )
        if self.plan.outside_window is OutsideWindow.skip:
            return self._occurrence(original, None, reason)
        if allowed is None:
            return self._occurrence(original, None, "no_allowed_time_within_31_days")
        return self._occurrence(original, allowed, reason)

    def _occurrence(
        self, original: datetime, at: datetime | None, reason: str | None, *, override: bool = False
    ) -> Occurrence:
        if at is None:
            outcome = OccurrenceOutcome.skipped
        elif at == original and not override:
            outcome = OccurrenceOutcome.scheduled
        else:
            outcome = OccurrenceOutcome.moved
        at_utc = None if at is None else to_utc(at, "to")
        return Occurrence(
            plan_id=self.plan.plan_id,
            original_at=original,
            outcome=outcome,
            scheduled_at=at_utc,
            opens_at=(at_utc or original) - self.plan.lead,
            reason=reason,
        )

    def _next_allowed(self, at: datetime) -> datetime | None:
        """Return ``at`` if work may happen then, else the next such instant (or None)."""
        if self.plan.agreed_window is None:
            try:
                found = next_opening(self.schedule, at)
            except ValueError:
                return None
            return found if found - at <= MAX_MOVE else None
        return _next_in_window(self.plan.agreed_window, self.plan.zone, at)


def _next_in_window(window: AgreedWindow, zone: ZoneInfo, at: datetime) -> datetime | None:
    # Start a day early: a window opened yesterday may run past midnight into `at`.
    day = at.astimezone(zone).date() - timedelta(days=1)
    for offset in range(MAX_MOVE.days + 2):
        for local_start, local_end in window.local_windows(day + timedelta(days=offset)):
            start = local_start.replace(tzinfo=zone).astimezone(UTC)
            end = local_end.replace(tzinfo=zone).astimezone(UTC)
            if end > at:
                found = max(start, at)
                return found if found - at <= MAX_MOVE else None
    return None


def _zone(name: str) -> ZoneInfo:
    try:
        return zone(name)
    except ValueError as exc:
        raise Unprocessable(
            f"Unknown time zone {name!r}; give an IANA name such as Europe/Moscow.",
            slug="maintenance-plan",
        ) from exc


def _rule_parts(text: str) -> dict[str, str]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body or "\n" in body or ":" in body:
        raise Unprocessable(
            "Give one RRULE line (RFC 5545), e.g. FREQ=WEEKLY;BYDAY=SA; the first occurrence "
            "goes in starts_at, not in a DTSTART line.",
            slug="maintenance-rrule",
        )
    parts: dict[str, str] = {}
    for part in body.split(";"):
        name, _, value = part.partition("=")
        parts[name.strip().upper()] = value.strip().upper()
    return parts


def _parse_rule(plan: MaintenancePlan) -> RRule:
    parts = _rule_parts(plan.rrule)
    freq, interval = _FREQ_RULE[plan.frequency]
    if parts.get("FREQ") != freq or parts.get("INTERVAL", "1") != str(interval):
        expected = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval != 1 else "")
        raise Unprocessable(
            f"A {plan.frequency} plan's RRULE starts with {expected}; got {plan.rrule!r}.",
            slug="maintenance-rrule",
        )
    try:
        rule = rrulestr(plan.rrule.strip(), dtstart=plan.starts_at)
    except (ValueError, TypeError) as exc:
        raise Unprocessable(
            f"The RRULE {plan.rrule!r} is not valid RFC 5545: {exc}.", slug="maintenance-rrule"
        ) from exc
    if not isinstance(rule, RRule):
        raise Unprocessable("Give a single RRULE.", slug="maintenance-rrule")
    first = rule.after(plan.starts_at, inc=True)
    if first is None or first - plan.starts_at > _FIRST_WITHIN:
        raise Unprocessable(
            f"The RRULE {plan.rrule!r} yields no occurrence within two years of starts_at.",
            slug="maintenance-rrule",
        )
    return rule
