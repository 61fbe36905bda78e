"""The lines' own response targets (OLA), pure: when one starts, falls due, is met.

The SQL of ``adapters/repository.py`` asks the same questions of the ``ola`` table
(the due and open conditions are written there as WHERE clauses); the fake unit of
work of the unit tests asks these functions, so both follow one definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from escalation.domain.decisions import People, TicketView, recipients
from escalation.domain.model import OlaStage, OlaTarget, StaffMember
from shared.escalation_policy import EscalationPolicy
from shared.events.escalations import Recipient
from shared.worktime.schedule import Schedule
from shared.worktime.worktime import add_working_time

FIRST_OLA_LINE = 2  # line 1 answers to the customer's SLA; lines 2 and 3 have their own


@dataclass(frozen=True)
class OlaPlan:
    """When a new target warns and falls due, and at which percentage it warns."""

    warning_at: datetime
    due_at: datetime
    warning_percent: int

    @property
    def first_instant(self) -> datetime:
        """The earliest instant the scheduler must act on."""
        return min(self.warning_at, self.due_at)


def ola_instants(
    schedule: Schedule | None, start: datetime, hours: float, percent: int
) -> tuple[datetime, datetime]:
    """(warning, due) of a line's own response target, in the ticket's working time."""
    amount = timedelta(hours=hours)
    if schedule is None:
        return start + amount * percent / 100, start + amount
    return (
        add_working_time(schedule, start, amount * percent / 100),
        add_working_time(schedule, start, amount),
    )


def plan_ola(
    policy: EscalationPolicy, ticket: TicketView, *, line: int, at: datetime
) -> OlaPlan | None:
    """The target ``line`` gets when the ticket reaches it at ``at``; None if none applies."""
    if line < FIRST_OLA_LINE:
        return None
    hours = policy.ola_hours.get(ticket.severity or "")
    if not hours:
        return None
    schedule = Schedule.from_dict(ticket.schedule) if ticket.schedule else None
    warning_at, due_at = ola_instants(schedule, at, hours, policy.ola_warning_percent)
    return OlaPlan(warning_at, due_at, policy.ola_warning_percent)


def is_due(target: OlaTarget, stage: OlaStage, now: datetime) -> bool:
    """Whether ``stage`` of an open target has come and not yet fired (a breach ends it)."""
    if target.met_at is not None or target.breached_at is not None:
        return False
    if stage == "warning":
        return target.warned_at is None and target.warning_at <= now
    return target.due_at <= now


def next_instant(targets: Iterable[OlaTarget]) -> datetime | None:
    """The earliest warning or breach still to fire among ``targets`` (None: nothing open)."""
    instants = [
        t.warning_at if t.warned_at is None and t.warning_at < t.due_at else t.due_at
        for t in targets
        if t.met_at is None and t.breached_at is None
    ]
    return min(instants, default=None)


def is_met_by(target: OlaTarget, *, at: datetime, line: int | None) -> bool:
    """Whether a response at ``at`` (of ``line``, or of any line) meets the open target."""
    return (
        target.met_at is None and target.started_at <= at and (line is None or target.line == line)
    )


def status_change_responds(action: str | None, assignee: str | None) -> bool:
    """Taking the ticket into work, or a move that names its assignee, is the line's response."""
    return action == "take" or bool(assignee)


def assignment_responds(source: str | None) -> bool:
    """An assignment is a response unless the policy handed it to the engineer on duty."""
    return source != "escalation"


def ola_recipients(line_people: Sequence[tuple[str, StaffMember]]) -> list[Recipient]:
    """The line's leads and its engineers on duty, each address once."""
    people = [member.recipient(kind) for kind, member in line_people]
    return recipients(
        ("line_lead", "on_duty"),
        People(
            line_lead=[p for p in people if p.role == "line_lead"],
            on_duty=[p for p in people if p.role == "on_duty"],
        ),
    )
