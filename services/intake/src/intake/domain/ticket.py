"""The Ticket aggregate: its state, and methods that enforce the rules and record events.

Every method checks one move against the tables (``lifecycle``, ``change_request``),
changes the state and records the event that announces it; the repository stores the
state and hands the recorded events to the outbox in the same transaction, numbered by
the ticket's version so consumers can order them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from intake.domain import change_request as cr, premium
from intake.domain.actors import Actor, ActorKind
from intake.domain.closing import auto_close_at
from intake.domain.config import IntakeConfig
from intake.domain.lifecycle import (
    Action,
    Transition,
    check_corrective_action,
    check_escalation,
    check_open,
    check_severity_change,
    transition,
)
from intake.domain.premium import PhoneConfirmation
from intake.domain.tiers import TierMove
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.policy import PolicyDocument
from shared.events.premium import TicketPhoneConfirmationRecorded
from shared.events.tickets import (
    TicketAssigned,
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCorrectiveAction,
    TicketEscalated,
    TicketEventData,
    TicketHardwareFault,
    TicketSeverityChanged,
    TicketStatusChanged,
    TicketTierChanged,
)
from shared.events.vocabulary import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Severity,
    SupportLine,
    TicketStatus,
    TicketType,
    Tier,
)


def served_severity(
    policy: PolicyDocument | None, tier: Tier, asked: Severity
) -> tuple[Severity, bool]:
    """The severity ``tier`` is served at under ``policy`` (a ticket without one: no cap)."""
    if policy is None:
        return Severity(asked), False
    return policy.served_severity(tier, asked)


@dataclass(frozen=True)
class Comment:
    """A public or internal note on a ticket."""

    id: UUID
    ticket_id: UUID
    body: str
    public: bool
    author_kind: ActorKind
    author: str | None
    channel: str | None
    attachments: list[dict[str, Any]]
    created_at: datetime


@dataclass(kw_only=True)
class Ticket:
    """A registered request for support and everything that happened to it since."""

    id: UUID
    registration_number: str
    customer_id: UUID
    contact_id: UUID | None
    contact_email: str | None
    type: TicketType
    severity: Severity
    requested_severity: Severity
    severity_capped: bool
    tier: Tier
    tier_priority: int
    policy_version: str
    calendar_version: str | None
    policy: PolicyDocument | None
    features: dict[str, bool]
    channel: str
    entered_by: str | None
    subject: str
    description: str
    product: str | None
    product_version: str | None
    requested_feature: str | None
    attachments: list[dict[str, Any]]
    status: TicketStatus
    received_at: datetime
    assignee: str | None = None
    support_line: int = 1
    hardware_fault: bool = False
    hardware_fault_reason: str | None = None
    corrective_actions: list[dict[str, Any]] = field(default_factory=list)
    status_reason: str | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    auto_close_at: datetime | None = None
    cr_status: str | None = None
    cr_details: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    idempotency_key: str | None = None
    idempotency_fingerprint: str | None = None
    subtype: str | None = None
    remote_access_available: bool = False
    phone_confirmed_by: str | None = None
    phone_confirmed_at: datetime | None = None
    phone_confirmation_recorded_by: str | None = None
    analysis_report: str | None = None
    alert_fingerprint: str | None = None
    maintenance_occurrence_key: str | None = None
    events: list[TicketEventData] = field(default_factory=list, compare=False, repr=False)

    # ------------------------------------------------------------ bookkeeping

    def _base(self, now: datetime, status: TicketStatus | None = None) -> dict[str, Any]:
        return {
            "ticket_id": self.id,
            "customer_id": self.customer_id,
            "status": status or self.status,
            "occurred_at": now,
        }

    def _record(self, event: TicketEventData) -> None:
        self.events.append(event)
        self.version += 1

    def pull_events(self) -> list[tuple[int, TicketEventData]]:
        """Hand over the recorded events with their sequence numbers, and forget them."""
        first = self.version - len(self.events) + 1
        pulled = list(enumerate(self.events, start=first))
        self.events = []
        return pulled

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # ------------------------------------------------------------ lifecycle

    def move(
        self,
        action: Action,
        *,
        actor: Actor,
        now: datetime,
        config: IntakeConfig,
        assignee: str | None = None,
        reason: str | None = None,
    ) -> Transition:
        """Take one lifecycle move (``lifecycle.MOVES``) and record ``ticket.status_changed``."""
        step = transition(
            status=self.status,
            action=action,
            actor=actor.kind,
            assignee=assignee,
            reason=reason,
            current_assignee=self.assignee,
        )
        self.status, self.assignee, self.status_reason = step.to_status, step.assignee, step.reason
        if step.to_status == TicketStatus.resolved:
            self.resolved_at, self.auto_close_at = now, self._auto_close_instant(now, config)
        elif action == Action.reopen:
            self.resolved_at = self.auto_close_at = None
        if step.to_status in FINAL_STATUSES:
            self.closed_at, self.auto_close_at = now, None
        if action == Action.auto_close:
            self.status_reason = "no_objection"
        self._record(
            TicketStatusChanged(
                **self._base(now),
                from_status=step.from_status,
                to_status=step.to_status,
                reason=self.status_reason,
                assignee=step.assignee,
                action=action,
                actor=actor.label,
                auto_close_at=self.auto_close_at,
            )
        )
        return step

    def _auto_close_instant(self, now: datetime, config: IntakeConfig) -> datetime:
        """Closes without objection after the agreed working days of the ticket's schedule."""
        if config.auto_close_after_seconds is not None:
            return now + timedelta(seconds=config.auto_close_after_seconds)
        # Only the fields the writer sent: an absent one takes the calendar's default.
        snapshot = self.policy.model_dump(mode="json", exclude_none=True) if self.policy else None
        return auto_close_at(
            now, tier=self.tier, working_days=config.auto_close_working_days, policy=snapshot
        )

    def change_severity(self, asked: Severity, *, actor: Actor, now: datetime) -> None:
        """Lower or raise the severity; the ticket's own policy caps what its tier is served."""
        check_severity_change(
            status=self.status, current=self.severity, requested=asked, actor=actor.kind
        )
        severity, capped = served_severity(self.policy, self.tier, asked)
        if severity == self.severity:
            raise Unprocessable(
                f"The {self.tier} tier is served at {severity} at most under the ticket's "
                f"policy; {asked} needs a higher tier.",
                slug="severity-capped",
            )
        previous, self.severity, self.severity_capped = self.severity, severity, capped
        self._record(
            TicketSeverityChanged(
                **self._base(now),
                severity=severity,
                previous_severity=previous,
                tier=self.tier,
                changed_by=actor.label,
            )
        )

    def assign(self, assignee: str, *, now: datetime, source: str | None = None) -> None:
        """Hand the open ticket to ``assignee``."""
        check_open(self.status, "assign it")
        if self.assignee == assignee:
            raise Conflict(f"The ticket is already assigned to {assignee}.", slug="unchanged")
        previous, self.assignee = self.assignee, assignee
        self._record(
            TicketAssigned(
                **self._base(now), assignee=assignee, previous_assignee=previous, source=source
            )
        )

    def record_corrective_action(
        self, kind: str, summary: str, *, actor: Actor, now: datetime
    ) -> None:
        """Record a solution, workaround or action plan: the resolution target is met."""
        check_corrective_action(self.status)
        entry = {"kind": str(kind), "summary": summary, "at": now.isoformat(), "by": actor.name}
        self.corrective_actions = [*self.corrective_actions, entry]
        self._record(TicketCorrectiveAction(**self._base(now), kind=kind, summary=summary))

    def mark_hardware_fault(self, reason: str, *, now: datetime) -> None:
        """The fault is the customer's hardware: the SLA clocks stop."""
        check_open(self.status, "mark a hardware fault")
        if self.hardware_fault:
            raise Conflict(
                f"The ticket is already marked as a hardware fault ({self.hardware_fault_reason}).",
                slug="already-hardware-fault",
            )
        self.hardware_fault, self.hardware_fault_reason = True, reason
        self._record(TicketHardwareFault(**self._base(now), reason=reason))

    def escalate(self, line: int, *, reason: str | None, now: datetime, source: str) -> None:
        """Hand the ticket to support line 2 or 3, only upwards."""
        check_escalation(status=self.status, line=line, current_line=self.support_line)
        previous, self.support_line = self.support_line, line
        self._record(
            TicketEscalated(
                **self._base(now),
                line=SupportLine(line),
                reason=reason,
                previous_line=SupportLine(previous),
                source=source,
            )
        )

    def apply_escalation_decision(
        self, *, line: int | None, assignee: str | None, reason: str, now: datetime
    ) -> bool:
        """Apply the escalation service's decision; a stale or repeated one changes nothing."""
        if not self.is_open:
            return False
        moves = line is not None and self.support_line < line <= 3
        assigns = assignee is not None and self.assignee is None
        if moves and line is not None:
            self.escalate(line, reason=reason, now=now, source="escalation")
        if assigns and assignee is not None:
            self.assign(assignee, now=now, source="escalation")
        return moves or assigns

    # ------------------------------------------------------------ comments

    def comment(
        self,
        comment_id: UUID,
        *,
        body: str,
        public: bool,
        actor: Actor,
        author: str | None,
        channel: str | None,
        attachments: list[dict[str, Any]],
        now: datetime,
    ) -> Comment:
        """Add a comment; the customer's public answer resumes a ticket waiting for it."""
        note = Comment(
            id=comment_id,
            ticket_id=self.id,
            body=body,
            public=public,
            author_kind=actor.kind,
            author=author,
            channel=channel,
            attachments=attachments,
            created_at=now,
        )
        if attachments:
            self.attachments = [*self.attachments, *attachments]
        self._record(
            TicketCommented(
                **self._base(now),
                comment_id=comment_id,
                public=public,
                author=author,
                author_kind=actor.kind,
                body=body,
                channel=channel,
            )
        )
        if (
            actor.kind == ActorKind.customer
            and public
            and self.status == TicketStatus.waiting_customer
        ):
            # The customer's answer is what the ticket waited for: resume work (and its clock).
            self.move(
                Action.resume,
                actor=actor,
                now=now,
                config=IntakeConfig(),
                reason="customer_replied",
            )
        return note

    def check_commentable(self) -> None:
        """A final ticket takes no more comments: the customer opens a new one."""
        if self.is_final:
            raise Conflict(
                f"Ticket {self.registration_number} is {self.status}; open a new ticket instead "
                "of commenting on it.",
                slug="ticket-final",
                allowed=[],
            )

    # ------------------------------------------------------------ change requests

    def advance_change_request(
        self, step: cr.CrStep, *, actor: Actor, details: dict[str, Any], now: datetime
    ) -> None:
        """Take one step of the change-request workflow (``change_request.CR_MOVES``)."""
        if self.cr_status is None:
            raise Conflict(
                f"Ticket {self.registration_number} is a {self.type}, not a change request.",
                slug="not-a-change-request",
            )
        if self.is_final:
            raise Conflict(
                f"Ticket {self.registration_number} is {self.status}; its change request is over.",
                slug="ticket-final",
                allowed=[],
            )
        target = cr.advance(status=self.cr_status, step=step, actor=actor.kind, details=details)
        history = [
            *self.cr_details.get("history", []),
            {"step": str(step), "at": now.isoformat(), "by": actor.label, **details},
        ]
        kept = {k: v for k, v in details.items() if k != "comment"}
        previous, self.cr_status = self.cr_status, target
        self.cr_details = {**self.cr_details, **kept, "history": history}
        self._record(
            TicketChangeRequestAdvanced(
                **self._base(now),
                step=step,
                cr_status=target,
                previous_cr_status=previous,
                actor=actor.label,
                details=details,
            )
        )

    # ------------------------------------------------------------ premium services

    def record_phone_confirmation(self, confirmation: PhoneConfirmation, *, now: datetime) -> bool:
        """Record the critical ticket's phone confirmation once; False for a replay of it."""
        existing = None
        if self.phone_confirmed_at is not None:
            existing = PhoneConfirmation(
                self.phone_confirmed_by or "",
                self.phone_confirmed_at,
                self.phone_confirmation_recorded_by or "",
            )
        checked = premium.record_phone_confirmation(
            status=self.status,
            severity=self.severity,
            received_at=self.received_at,
            existing=existing,
            confirmation=confirmation,
            now=now,
        )
        if checked is None:
            return False
        self.phone_confirmed_by, self.phone_confirmed_at = (
            checked.confirmed_by,
            checked.confirmed_at,
        )
        self.phone_confirmation_recorded_by = checked.recorded_by
        self._record(
            TicketPhoneConfirmationRecorded(
                **self._base(now),
                confirmed_by=checked.confirmed_by,
                confirmed_at=checked.confirmed_at,
                recorded_by=checked.recorded_by,
            )
        )
        return True

    def record_service_event(self, event: TicketEventData, *, now: datetime) -> None:
        """A premium service's fact (a visit's stage, an alert) goes out with the ticket's events."""
        self._record(event.model_copy(update={"status": self.status, "occurred_at": now}))

    # ------------------------------------------------------------ tier

    def move_tier(self, move: TierMove, *, terms: TierTerms, now: datetime) -> None:
        """Move the open ticket to a higher tier's terms (rules, section 4)."""
        previous_tier, previous_severity = self.tier, self.severity
        self.tier, self.tier_priority = move.tier, move.priority
        self.severity, self.severity_capped = move.severity, move.severity_capped
        self.policy, self.features = terms.policy, terms.features
        self.policy_version = terms.policy_version or self.policy_version
        self._record(
            TicketTierChanged(
                **self._base(now),
                tier=move.tier,
                previous_tier=previous_tier,
                policy=terms.policy,
                policy_version=terms.policy_version,
                calendar_version=self.calendar_version,
                severity=move.severity,
                previous_severity=previous_severity,
                severity_capped=move.severity_capped,
                tier_priority=move.priority,
                cause=terms.cause,
                cause_id=terms.cause_id,
                contract_id=terms.contract_id,
            )
        )


@dataclass(frozen=True)
class TierTerms:
    """What a tier change brings: entitlement's policy and features, and what caused it."""

    policy: PolicyDocument
    policy_version: str | None
    features: dict[str, bool]
    cause: str
    cause_id: UUID
    contract_id: UUID | None


def check_actor_is_agent(actor: Actor, doing: str) -> None:
    """Staff-only moves (assign, corrective actions, hardware faults, escalations)."""
    if actor.kind != ActorKind.agent:
        raise Forbidden(f"Only support agents {doing}.", slug="agent-only")
