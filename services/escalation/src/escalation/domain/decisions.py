"""Pure escalation decisions: is an alarm still current, what does the policy say, who is told.

No I/O here: the handlers load the ticket's read model, its timers, the contract and
the people, then ask these functions. Unit tests cover every branch without a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from shared.escalation_policy import Audience, Entry, EscalationPolicy
from shared.events.escalations import Recipient
from shared.events.vocabulary import OPEN_STATUSES
from shared.worktime.schedule import Schedule
from shared.worktime.worktime import working_time_between

TOP_LINE = 3
_MOSCOW_OFFICE = Schedule.business_hours()


_TARGET = re.compile(r"(\d+)(s|min|h)")


@dataclass(frozen=True)
class Alarm:
    """A warning or breach of one SLA timer, as sla-clock fired it."""

    ticket_id: UUID
    timer: str  # response | resolution
    trigger: str  # warning | breach
    due_at: datetime
    percent: int | None = None
    timer_id: UUID | None = None
    # What the alarm itself says of its ticket (used if ticket.created is not read yet:
    # tickets and timers are different topics, so their order is not guaranteed).
    customer_id: UUID | None = None
    tier: str | None = None
    severity: str | None = None
    target: str | None = None  # the timer's target as sla-clock wrote it ("4h", "30min")

    @property
    def remaining_minutes(self) -> int | None:
        """Working minutes left when a warning fires: the unused share of its target.

        Pauses take no working time, so at p % used exactly (100 - p) % of the target is
        left. Targets in working days ("2d") depend on the schedule's day length, which
        escalation does not know: None, and the message names the percentage only.
        """
        if self.trigger != "warning" or not self.percent or not self.target:
            return None
        match = _TARGET.fullmatch(self.target)
        if match is None:
            return None
        minutes = int(match[1]) * {"s": 1 / 60, "min": 1, "h": 60}[match[2]]
        return round(minutes * (100 - self.percent) / 100)

    @property
    def trigger_name(self) -> str:
        """The ``trigger`` of the escalation it raises."""
        return f"sla.timer.{'breached' if self.trigger == 'breach' else 'warning'}"

    @property
    def key(self) -> str:
        """One alarm, one escalation: the unique key of what it may raise."""
        which = self.timer_id or self.due_at.isoformat()
        return f"{self.ticket_id}:{self.timer}:{which}:{self.due_at.isoformat()}:{self.trigger}:{self.percent or 0}"


@dataclass(frozen=True)
class TimerView:
    """A timer as escalation last saw it on ``support.sla.v1``."""

    state: str  # running | paused | met | stopped | no_target
    due_at: datetime | None


@dataclass(frozen=True)
class TicketView:
    """A ticket as escalation knows it from ``support.tickets.v1`` (its read model)."""

    ticket_id: UUID
    status: str
    line: int = 1
    tier: str | None = None
    severity: str | None = None
    assignee: str | None = None
    customer_id: UUID | None = None
    registration_number: str | None = None
    schedule: dict[str, Any] | None = None  # the working schedule OLAs count in


@dataclass(frozen=True)
class Decision:
    """What a policy rule decided for one alarm (before the people are looked up)."""

    from_line: int
    to_line: int | None  # None: the ticket stays on its line
    audiences: tuple[Audience, ...]
    out_of_hours: bool
    assign_on_duty: bool

    @property
    def line(self) -> int:
        """The line that must act: the new one after a move, else the current one."""
        return self.to_line or self.from_line


def is_current(alarm: Alarm, timer: TimerView | None, ticket: TicketView | None) -> bool:
    """Whether an alarm still stands: its timer runs toward the same due instant, ticket open.

    sla-clock emits met, paused, stopped and recomputed on the same topic and key as its
    alarms, so by the time a stale alarm is read its timer's new state is already here.
    """
    # A ticket no longer worked (intake's open statuses, shared) escalates nothing.
    if ticket is not None and ticket.status not in OPEN_STATUSES:
        return False
    if timer is None:
        return True  # the alarm itself says the timer ran; nothing newer is known
    return timer.state == "running" and timer.due_at == alarm.due_at


def contract_policy(document: dict[str, Any] | None) -> EscalationPolicy | None:
    """A contract's own policy document as a policy; None when it has none or it is invalid."""
    if not document:
        return None
    try:
        return EscalationPolicy.model_validate(document)
    except ValueError:
        return None


def is_out_of_hours(at: datetime, office: Schedule = _MOSCOW_OFFICE) -> bool:
    """Outside 09:00-18:00 Moscow on a working day of the Russian production calendar."""
    return working_time_between(office, at, at + timedelta(seconds=1)) == timedelta(0)


def _on_duty_called(entry: Entry, out_of_hours: bool) -> bool:
    return entry.on_duty == "always" or (entry.on_duty == "out_of_hours" and out_of_hours)


def decide(
    policy: EscalationPolicy, ticket: TicketView, alarm: Alarm, *, now: datetime
) -> Decision | None:
    """The policy's answer to one current alarm, or None when no rule covers it."""
    entry = policy.entry_for(ticket.tier, ticket.severity)
    if entry is None:
        return None
    rule = next(
        (
            r
            for r in entry.rules
            if r.timer == alarm.timer
            and r.trigger == alarm.trigger
            and (r.trigger == "breach" or r.percent == alarm.percent)
        ),
        None,
    )
    if rule is None:
        return None
    out_of_hours = is_out_of_hours(now)
    audiences: list[Audience] = list(dict.fromkeys(rule.notify))
    called = _on_duty_called(entry, out_of_hours)
    if called and "on_duty" not in audiences:
        audiences.append("on_duty")
    to_line = min(ticket.line + 1, TOP_LINE) if rule.next_line else None
    return Decision(
        from_line=ticket.line,
        to_line=to_line if to_line and to_line > ticket.line else None,
        audiences=tuple(audiences),
        out_of_hours=out_of_hours,
        assign_on_duty=called and entry.assign_on_duty and not ticket.assignee,
    )


def manual_decision(ticket: TicketView, *, from_line: int, to_line: int, now: datetime) -> Decision:
    """An agent moved the ticket by hand: the new line's lead (and duty, out of hours) is told."""
    out_of_hours = is_out_of_hours(now)
    audiences: tuple[Audience, ...] = ("line_lead", "on_duty") if out_of_hours else ("line_lead",)
    return Decision(
        from_line=from_line,
        to_line=to_line,
        audiences=audiences,
        out_of_hours=out_of_hours,
        assign_on_duty=False,
    )


@dataclass(frozen=True)
class People:
    """Everyone a decision may name, already looked up for the ticket's line and instant."""

    assignee: Sequence[Recipient] = ()
    line_lead: Sequence[Recipient] = ()
    on_duty: Sequence[Recipient] = ()
    dedicated_engineer: Sequence[Recipient] = ()
    dedicated_manager: Sequence[Recipient] = ()
    contacts: Sequence[Recipient] = field(default_factory=tuple)

    def of(self, audience: Audience) -> Sequence[Recipient]:
        return tuple(getattr(self, audience))


def recipients(audiences: Iterable[Audience], people: People) -> list[Recipient]:
    """The people to tell, in audience order, each address once (the first role wins)."""
    out: list[Recipient] = []
    seen: set[str] = set()
    for audience in audiences:
        for person in people.of(audience):
            ident = (person.email or person.chat_id or person.phone or person.name or "").lower()
            if not ident or ident in seen:
                continue
            seen.add(ident)
            out.append(person.model_copy(update={"role": audience}))
    return out
