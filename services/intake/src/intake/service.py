"""Use cases of intake: admission, channels, lifecycle, change requests, reading, knowledge base."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import Row

from intake.adapters import queries
from intake.adapters.entitlement import Entitlement, EntitlementClient
from intake.adapters.orm import channel_message, comment, kb_article, ticket
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import (
    ArticleCreate,
    ArticleRead,
    ArticleRef,
    ChangeRequestRead,
    ChangeRequestStep,
    ChatIn,
    CommentCreate,
    CommentRead,
    CorrectiveActionCreate,
    EmailIn,
    HardwareFaultCreate,
    InboundResult,
    QueueItem,
    SeverityChange,
    TicketCreate,
    TicketPage,
    TicketRead,
    TransitionCreate,
)
from intake.domain import change_request as cr
from intake.domain.actors import Actor, ActorKind
from intake.domain.closing import auto_close_at
from intake.domain.lifecycle import (
    Action,
    allowed_actions,
    check_corrective_action,
    check_escalation,
    check_open,
    check_severity_change,
    transition,
)
from intake.domain.model import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    check_generic_channel,
    registration_number,
)
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from shared.events.base import new_id
from shared.events.policy import PolicyDocument
from shared.events.tickets import (
    TicketAssigned,
    TicketChangeRequestAdvanced,
    TicketCommented,
    TicketCorrectiveAction,
    TicketCreated,
    TicketEscalated,
    TicketEventData,
    TicketHardwareFault,
    TicketSeverityChanged,
    TicketStatusChanged,
)
from shared.events.vocabulary import Channel, Severity, TicketStatus, TicketType, Tier


@dataclass(frozen=True)
class IntakeConfig:
    """The settings the use cases need (a subset of :class:`intake.config.Settings`)."""

    registration_prefix: str = "TP"
    auto_close_working_days: int = 3
    auto_close_after_seconds: float | None = None
    kb_suggestions: int = 3


# ---------------------------------------------------------------- mapping


def ticket_read(
    row: Any,
    *,
    sla: Any = None,
    articles: list[ArticleRef] | None = None,
    actor: ActorKind | None = None,
) -> TicketRead:
    """Map a ticket row to its HTTP representation."""
    data = dict(row._mapping)
    data["allowed_actions"] = allowed_actions(data["status"], actor)
    data["sla"] = sla
    data["suggested_articles"] = articles
    return TicketRead.model_validate(data)


def _comment_read(row: Any) -> CommentRead:
    return CommentRead.model_validate(dict(row._mapping))


def _base(row: Any, status: str, now: datetime) -> dict[str, Any]:
    return {
        "ticket_id": row.id,
        "customer_id": row.customer_id,
        "status": status,
        "occurred_at": now,
    }


async def _save(
    uow: IntakeUnitOfWork,
    row: Any,
    *,
    values: dict[str, Any],
    events: list[TicketEventData],
    now: datetime,
) -> Row[Any]:
    """Write the ticket's new state and its events (sequence = the ticket's version)."""
    for i, event in enumerate(events, start=1):
        await uow.outbox.publish(event, subject=str(row.id), sequence=row.version + i)
    result = await uow.session.execute(
        update(ticket)
        .where(ticket.c.id == row.id)
        .values(**values, version=row.version + len(events), updated_at=now)
        .returning(ticket)
    )
    saved: Row[Any] = result.one()
    return saved


async def _locked(uow: IntakeUnitOfWork, ticket_id: UUID) -> Row[Any]:
    row = (
        await uow.session.execute(select(ticket).where(ticket.c.id == ticket_id).with_for_update())
    ).one_or_none()
    if row is None:
        raise NotFound(
            f"No ticket {ticket_id}; list tickets with GET /api/v1/tickets.", slug="no-ticket"
        )
    return row


async def _customer_of(uow: IntakeUnitOfWork, ticket_id: UUID, scope: UUID | None = None) -> UUID:
    """The ticket's customer; NotFound if it does not exist or the caller may not see it."""
    async with uow:
        customer_id = await uow.session.scalar(
            select(ticket.c.customer_id).where(ticket.c.id == ticket_id)
        )
    if customer_id is None or (scope is not None and customer_id != scope):
        raise NotFound(
            f"No ticket {ticket_id}; list tickets with GET /api/v1/tickets.", slug="no-ticket"
        )
    return UUID(str(customer_id))


async def visible_ticket(uow: IntakeUnitOfWork, ticket_id: UUID, scope: UUID | None) -> None:
    """NotFound unless the ticket exists within ``scope`` (a customer-bound key's customer)."""
    await _customer_of(uow, ticket_id, scope)


async def verify_contact(
    actor: Actor, *, customer_id: UUID, entitlements: EntitlementClient
) -> Entitlement | None:
    """A customer actor must be an active contact of the ticket's customer."""
    if actor.kind != ActorKind.customer:
        return None
    entitlement = await entitlements.for_contact(email=actor.contact_email)
    if entitlement.customer_id != customer_id:
        raise Forbidden(
            f"{actor.contact_email} is not a contact of this ticket's customer; only the "
            "customer's own contacts may act on its tickets.",
            slug="not-customers-contact",
        )
    return entitlement


# ---------------------------------------------------------------- admission


def served_severity(
    policy: PolicyDocument | dict[str, Any] | None, tier: str, asked: Severity
) -> tuple[Severity, bool]:
    """The severity ``tier`` is served at under the ticket's policy (no policy: no cap)."""
    if policy is None:
        return Severity(asked), False
    return PolicyDocument.model_validate(policy).served_severity(Tier(tier), asked)


def check_scope(entitlement: Entitlement, scope: UUID | None) -> None:
    """A key bound to a customer opens tickets only for that customer's contacts."""
    if scope is not None and entitlement.customer_id != scope:
        raise Forbidden(
            "This API key is bound to another customer than the contact's; use the contact's "
            "own customer key.",
            slug="not-customers-contact",
        )


async def check_feature(
    cmd: TicketCreate, entitlement: Entitlement, entitlements: EntitlementClient
) -> None:
    """A service request for a feature the tier lacks is refused, naming the tiers with it."""
    feature = cmd.requested_feature
    if feature is None or entitlement.has(feature):
        return
    tiers = [str(t) for t in await entitlements.tiers_with(feature)]
    raise Forbidden(
        f"The {entitlement.tier} tier does not include {feature}; it comes with the "
        f"{', '.join(tiers)} tier(s). Ask for a contract on one of them, or open the request "
        "without requested_feature.",
        slug="feature-not-in-tier",
        feature=str(feature),
        tier=entitlement.tier,
        tiers=tiers,
    )


def _fingerprint(cmd: TicketCreate) -> str:
    return hashlib.sha256(cmd.model_dump_json().encode()).hexdigest()


async def _lock_admission(uow: IntakeUnitOfWork, customer_id: UUID) -> None:
    """One admission or reopening per customer at a time, so the open-ticket limit holds."""
    await uow.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
        {"k": f"intake.admission.{customer_id}"},
    )


async def _check_open_limit(
    uow: IntakeUnitOfWork, entitlement: Entitlement, *, advice: str, doing: str = ""
) -> None:
    """409 naming the open tickets if the tier's limit is reached (caller holds the lock)."""
    if entitlement.max_open_tickets is None:
        return
    open_rows = (
        await uow.session.execute(
            select(ticket.c.id, ticket.c.registration_number)
            .where(
                ticket.c.customer_id == entitlement.customer_id,
                ticket.c.status.in_([str(s) for s in OPEN_STATUSES]),
            )
            .order_by(ticket.c.received_at)
        )
    ).all()
    if len(open_rows) >= entitlement.max_open_tickets:
        numbers = ", ".join(r.registration_number for r in open_rows)
        raise Conflict(
            f"The {entitlement.tier} tier allows {entitlement.max_open_tickets} open "
            f"ticket(s) at once and {numbers} is open{doing}; {advice}",
            slug="open-ticket-limit",
            open_tickets=[str(r.id) for r in open_rows],
            open_registration_numbers=[r.registration_number for r in open_rows],
            limit=entitlement.max_open_tickets,
        )


async def _admit(
    uow: IntakeUnitOfWork,
    *,
    cmd: TicketCreate,
    entitlement: Entitlement,
    config: IntakeConfig,
    now: datetime,
    idempotency_key: str | None,
    origin: dict[str, str] | None = None,
) -> tuple[Row[Any], list[ArticleRef], bool]:
    """Register a ticket inside the caller's transaction; return (row, articles, created).

    ``origin`` (``source_message_id``, ``chat_id``) rides on ticket.created so replies
    to a ticket born from an email or a chat message thread to that message.
    """
    # One admission per customer at a time, so the open-ticket limit holds under races.
    await _lock_admission(uow, entitlement.customer_id)
    if idempotency_key:
        existing = (
            await uow.session.execute(
                select(ticket).where(
                    ticket.c.customer_id == entitlement.customer_id,
                    ticket.c.idempotency_key == idempotency_key,
                )
            )
        ).one_or_none()
        if existing is not None:
            if existing.idempotency_fingerprint != _fingerprint(cmd):
                raise Unprocessable(
                    f"Idempotency-Key {idempotency_key!r} was used for a different ticket "
                    f"({existing.registration_number}); send a new key for a new request.",
                    slug="idempotency-key-reused",
                    ticket=str(existing.id),
                )
            return existing, [], False
    await _check_open_limit(
        uow, entitlement, advice="add to it (comment) or wait until it is resolved."
    )
    # The cap is decided here, once, by the policy the ticket is admitted under.
    severity, capped = served_severity(entitlement.policy, entitlement.tier, cmd.severity)
    number = await uow.session.scalar(
        text(f"SELECT nextval('\"{uow.schema}\".registration_number_seq')")
    )
    ticket_id = new_id()
    row = (
        await uow.session.execute(
            insert(ticket)
            .values(
                id=ticket_id,
                registration_number=registration_number(
                    config.registration_prefix, now.year, int(number or 0)
                ),
                customer_id=entitlement.customer_id,
                contact_id=entitlement.contact_id,
                contact_email=cmd.contact_email or None,
                type=cmd.type,
                severity=severity,
                requested_severity=cmd.severity,
                severity_capped=capped,
                tier=entitlement.tier,
                tier_priority=entitlement.priority,
                policy_version=entitlement.policy_version,
                calendar_version=entitlement.calendar_version,
                policy=entitlement.policy.model_dump(mode="json") if entitlement.policy else None,
                features=entitlement.features,
                channel=cmd.channel,
                entered_by=cmd.entered_by,
                subject=cmd.subject,
                description=cmd.description,
                product=cmd.product,
                product_version=cmd.product_version,
                requested_feature=cmd.requested_feature,
                attachments=[a.model_dump() for a in cmd.attachments],
                status=TicketStatus.new,
                received_at=now,
                cr_status=cr.CrStatus.submitted if cmd.type == TicketType.change_request else None,
                idempotency_key=idempotency_key,
                idempotency_fingerprint=_fingerprint(cmd) if idempotency_key else None,
            )
            .returning(ticket)
        )
    ).one()
    await uow.outbox.publish(
        TicketCreated(
            ticket_id=ticket_id,
            customer_id=row.customer_id,
            status=row.status,
            occurred_at=now,
            registration_number=row.registration_number,
            type=row.type,
            severity=row.severity,
            tier=row.tier,
            channel=row.channel,
            subject=row.subject,
            contact_id=row.contact_id,
            contact_email=row.contact_email,
            received_at=now,
            severity_capped=capped,
            policy_version=row.policy_version,
            policy=entitlement.policy,
            calendar_version=entitlement.calendar_version,
            product=row.product,
            product_version=row.product_version,
            tier_priority=row.tier_priority,
            entered_by=row.entered_by,
            requested_feature=row.requested_feature,
            description=row.description,
            **(origin or {}),
        ),
        subject=str(ticket_id),
        sequence=1,
    )
    articles = await queries.suggest_articles(
        uow.session, f"{cmd.subject}\n{cmd.description}", config.kb_suggestions
    )
    if articles and entitlement.tier == Tier.basic:
        # Basic consultations get the knowledge base in the first reply.
        lines = [f"- {a.title} (/api/v1/kb/articles/{a.id})" for a in articles]
        body = "These knowledge-base articles may answer your request:\n" + "\n".join(lines)
        row = await _add_comment(
            uow,
            row,
            body=body,
            public=True,
            author_kind=ActorKind.system,
            author="knowledge-base",
            channel=None,
            attachments=[],
            now=now,
        )
    return row, articles, True


async def open_ticket(
    cmd: TicketCreate,
    *,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    config: IntakeConfig,
    now: datetime,
    idempotency_key: str | None = None,
    scope: UUID | None = None,
) -> tuple[TicketRead, bool]:
    """Admit a ticket from an active contact; return it and whether it was created now.

    The generic endpoint's use case: email and chat have their own (deduplicating) ones.
    """
    check_generic_channel(cmd.channel)
    entitlement = await entitlements.for_contact(email=cmd.contact_email)
    check_scope(entitlement, scope)
    await check_feature(cmd, entitlement, entitlements)
    async with uow:
        row, articles, created = await _admit(
            uow,
            cmd=cmd,
            entitlement=entitlement,
            config=config,
            now=now,
            idempotency_key=idempotency_key,
        )
        if created:
            await uow.commit()
    return ticket_read(row, articles=articles), created


# ---------------------------------------------------------------- comments


async def _add_comment(
    uow: IntakeUnitOfWork,
    row: Any,
    *,
    body: str,
    public: bool,
    author_kind: ActorKind,
    author: str | None,
    channel: str | None,
    attachments: list[dict[str, Any]],
    now: datetime,
    comment_id: UUID | None = None,
) -> Row[Any]:
    comment_id = comment_id or new_id()
    await uow.session.execute(
        insert(comment).values(
            id=comment_id,
            ticket_id=row.id,
            body=body,
            public=public,
            author_kind=author_kind,
            author=author,
            channel=channel,
            attachments=attachments,
            created_at=now,
        )
    )
    event = TicketCommented(
        **_base(row, row.status, now),
        comment_id=comment_id,
        public=public,
        author=author,
        author_kind=author_kind,
        body=body,
        channel=channel,
    )
    values: dict[str, Any] = {}
    if attachments:
        values["attachments"] = [*row.attachments, *attachments]
    return await _save(uow, row, values=values, events=[event], now=now)


async def _comment_in_tx(
    uow: IntakeUnitOfWork,
    ticket_id: UUID,
    *,
    body: str,
    public: bool,
    actor: Actor,
    channel: str | None,
    attachments: list[dict[str, Any]],
    now: datetime,
) -> tuple[Row[Any], UUID]:
    row = await _locked(uow, ticket_id)
    if row.status in FINAL_STATUSES:
        raise Conflict(
            f"Ticket {row.registration_number} is {row.status}; open a new ticket instead of "
            "commenting on it.",
            slug="ticket-final",
            allowed=[],
        )
    comment_id = new_id()
    row = await _add_comment(
        uow,
        row,
        body=body,
        public=public,
        author_kind=actor.kind,
        author=actor.contact_email or actor.name,
        channel=channel,
        attachments=attachments,
        now=now,
        comment_id=comment_id,
    )
    if actor.kind == ActorKind.customer and public and row.status == TicketStatus.waiting_customer:
        # The customer's answer is what the ticket waited for: resume work (and its clock).
        move = transition(status=row.status, action=Action.resume, actor=ActorKind.customer)
        row = await _save(
            uow,
            row,
            values={"status": move.to_status, "status_reason": "customer_replied"},
            events=[
                TicketStatusChanged(
                    **_base(row, move.to_status, now),
                    from_status=move.from_status,
                    to_status=move.to_status,
                    reason="customer_replied",
                    assignee=row.assignee,
                    action=Action.resume,
                    actor=actor.label,
                )
            ],
            now=now,
        )
    return row, comment_id


async def add_comment(
    ticket_id: UUID,
    cmd: CommentCreate,
    *,
    actor: Actor,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    now: datetime,
    scope: UUID | None = None,
) -> CommentRead:
    """Add a public or internal comment (customers write public ones only)."""
    if actor.kind == ActorKind.customer and not cmd.public:
        raise Forbidden(
            "Internal comments are for support staff; send public=true.", slug="internal-comment"
        )
    customer_id = await _customer_of(uow, ticket_id, scope)
    await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    async with uow:
        _, comment_id = await _comment_in_tx(
            uow,
            ticket_id,
            body=cmd.body,
            public=cmd.public,
            actor=actor,
            channel="api",
            attachments=[a.model_dump() for a in cmd.attachments],
            now=now,
        )
        created = (
            await uow.session.execute(select(comment).where(comment.c.id == comment_id))
        ).one()
        await uow.commit()
    return _comment_read(created)


async def list_comments(
    ticket_id: UUID, *, include_internal: bool, uow: IntakeUnitOfWork, scope: UUID | None = None
) -> list[CommentRead]:
    """The ticket's comments, oldest first (internal ones only for staff)."""
    await _customer_of(uow, ticket_id, scope)
    async with uow:
        stmt = select(comment).where(comment.c.ticket_id == ticket_id)
        if not include_internal:
            stmt = stmt.where(comment.c.public)
        rows = (await uow.session.execute(stmt.order_by(comment.c.created_at, comment.c.id))).all()
    return [_comment_read(r) for r in rows]


# ---------------------------------------------------------------- lifecycle


def _auto_close_instant(row: Any, now: datetime, config: IntakeConfig) -> datetime:
    if config.auto_close_after_seconds is not None:
        return now + timedelta(seconds=config.auto_close_after_seconds)
    return auto_close_at(
        now, tier=row.tier, working_days=config.auto_close_working_days, policy=row.policy
    )


def _transition_values(
    row: Any, move: Any, *, now: datetime, config: IntakeConfig
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": move.to_status,
        "assignee": move.assignee,
        "status_reason": move.reason,
    }
    if move.to_status == TicketStatus.resolved:
        values["resolved_at"] = now
        values["auto_close_at"] = _auto_close_instant(row, now, config)
    elif move.action == Action.reopen:
        values["resolved_at"] = None
        values["auto_close_at"] = None
    if move.to_status in FINAL_STATUSES:
        values["closed_at"] = now
        values["auto_close_at"] = None
    return values


async def _apply_transition(
    uow: IntakeUnitOfWork,
    row: Any,
    *,
    action: Action,
    actor: Actor,
    now: datetime,
    config: IntakeConfig,
    assignee: str | None = None,
    reason: str | None = None,
) -> Row[Any]:
    move = transition(
        status=row.status,
        action=action,
        actor=actor.kind,
        assignee=assignee,
        reason=reason,
        current_assignee=row.assignee,
    )
    values = _transition_values(row, move, now=now, config=config)
    event = TicketStatusChanged(
        **_base(row, move.to_status, now),
        from_status=move.from_status,
        to_status=move.to_status,
        reason=move.reason or ("no_objection" if action == Action.auto_close else None),
        assignee=move.assignee,
        action=action,
        actor=actor.label,
        auto_close_at=values.get("auto_close_at"),
    )
    if action == Action.auto_close:
        values["status_reason"] = "no_objection"
    return await _save(uow, row, values=values, events=[event], now=now)


async def change_status(
    ticket_id: UUID,
    cmd: TransitionCreate,
    *,
    actor: Actor,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    config: IntakeConfig,
    now: datetime,
    scope: UUID | None = None,
) -> TicketRead:
    """Move the ticket through its lifecycle."""
    customer_id = await _customer_of(uow, ticket_id, scope)
    entitlement = await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    async with uow:
        reopening = cmd.action == Action.reopen and entitlement is not None
        if reopening:
            # Reopening makes a ticket open again: it counts against the limit like a new one.
            await _lock_admission(uow, customer_id)
        row = await _locked(uow, ticket_id)
        if reopening and entitlement is not None and row.status == TicketStatus.resolved:
            await _check_open_limit(
                uow,
                entitlement,
                doing=f", so {row.registration_number} cannot be reopened now",
                advice=(
                    "resolve or close the open ticket first, or confirm "
                    f"{row.registration_number} and open a new ticket when the limit allows."
                ),
            )
        row = await _apply_transition(
            uow,
            row,
            action=cmd.action,
            actor=actor,
            now=now,
            config=config,
            assignee=cmd.assignee,
            reason=cmd.reason,
        )
        await uow.commit()
    return ticket_read(row)


async def assign(
    ticket_id: UUID, assignee: str, *, actor: Actor, uow: IntakeUnitOfWork, now: datetime
) -> TicketRead:
    """Hand an open ticket to another engineer."""
    if actor.kind != ActorKind.agent:
        raise Forbidden("Only support agents assign tickets.", slug="agent-only")
    async with uow:
        row = await _locked(uow, ticket_id)
        check_open(row.status, "assign it")
        if row.assignee == assignee:
            raise Conflict(f"The ticket is already assigned to {assignee}.", slug="unchanged")
        row = await _save(
            uow,
            row,
            values={"assignee": assignee},
            events=[
                TicketAssigned(
                    **_base(row, row.status, now), assignee=assignee, previous_assignee=row.assignee
                )
            ],
            now=now,
        )
        await uow.commit()
    return ticket_read(row)


async def record_corrective_action(
    ticket_id: UUID,
    cmd: CorrectiveActionCreate,
    *,
    actor: Actor,
    uow: IntakeUnitOfWork,
    now: datetime,
) -> TicketRead:
    """Record a solution, workaround or action plan: the resolution target is met."""
    if actor.kind != ActorKind.agent:
        raise Forbidden("Only support agents record corrective actions.", slug="agent-only")
    async with uow:
        row = await _locked(uow, ticket_id)
        check_corrective_action(row.status)
        entry = {
            "kind": str(cmd.kind),
            "summary": cmd.summary,
            "at": now.isoformat(),
            "by": actor.name,
        }
        row = await _save(
            uow,
            row,
            values={"corrective_actions": [*row.corrective_actions, entry]},
            events=[
                TicketCorrectiveAction(
                    **_base(row, row.status, now), kind=cmd.kind, summary=cmd.summary
                )
            ],
            now=now,
        )
        await uow.commit()
    return ticket_read(row)


async def change_severity(
    ticket_id: UUID,
    cmd: SeverityChange,
    *,
    actor: Actor,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    now: datetime,
    scope: UUID | None = None,
) -> TicketRead:
    """Lower (customer or agent) or raise (agent only) the severity of an open ticket."""
    customer_id = await _customer_of(uow, ticket_id, scope)
    await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    async with uow:
        row = await _locked(uow, ticket_id)
        check_severity_change(
            status=row.status, current=row.severity, requested=cmd.severity, actor=actor.kind
        )
        # The ticket's own policy snapshot decides what its tier is served at.
        severity, capped = served_severity(row.policy, row.tier, cmd.severity)
        if severity == row.severity:
            raise Unprocessable(
                f"The {row.tier} tier is served at {severity} at most under the ticket's "
                f"policy; {cmd.severity} needs a higher tier.",
                slug="severity-capped",
            )
        row = await _save(
            uow,
            row,
            values={"severity": severity, "severity_capped": capped},
            events=[
                TicketSeverityChanged(
                    **_base(row, row.status, now),
                    severity=severity,
                    previous_severity=row.severity,
                    tier=row.tier,
                    changed_by=actor.label,
                )
            ],
            now=now,
        )
        await uow.commit()
    return ticket_read(row)


async def mark_hardware_fault(
    ticket_id: UUID,
    cmd: HardwareFaultCreate,
    *,
    actor: Actor,
    uow: IntakeUnitOfWork,
    now: datetime,
) -> TicketRead:
    """Mark the fault as the customer's hardware: SLA clocks stop, recommendations follow."""
    if actor.kind != ActorKind.agent:
        raise Forbidden("Only support agents mark a hardware fault.", slug="agent-only")
    async with uow:
        row = await _locked(uow, ticket_id)
        check_open(row.status, "mark a hardware fault")
        if row.hardware_fault:
            raise Conflict(
                f"The ticket is already marked as a hardware fault ({row.hardware_fault_reason}).",
                slug="already-hardware-fault",
            )
        row = await _save(
            uow,
            row,
            values={"hardware_fault": True, "hardware_fault_reason": cmd.reason},
            events=[TicketHardwareFault(**_base(row, row.status, now), reason=cmd.reason)],
            now=now,
        )
        if cmd.recommendations:
            row = await _add_comment(
                uow,
                row,
                body=cmd.recommendations,
                public=True,
                author_kind=ActorKind.agent,
                author=actor.name,
                channel="api",
                attachments=[],
                now=now,
            )
        await uow.commit()
    return ticket_read(row)


async def _escalate_row(
    uow: IntakeUnitOfWork, row: Any, *, line: int, reason: str | None, source: str, now: datetime
) -> Row[Any]:
    return await _save(
        uow,
        row,
        values={"support_line": line},
        events=[
            TicketEscalated(
                **_base(row, row.status, now),
                line=line,
                reason=reason,
                previous_line=row.support_line,
                source=source,
            )
        ],
        now=now,
    )


async def escalate(
    ticket_id: UUID,
    *,
    line: int,
    reason: str | None,
    actor: Actor,
    uow: IntakeUnitOfWork,
    now: datetime,
) -> TicketRead:
    """Hand the ticket to support line 2 or 3 (an agent's decision)."""
    if actor.kind != ActorKind.agent:
        raise Forbidden("Only support agents escalate tickets.", slug="agent-only")
    async with uow:
        row = await _locked(uow, ticket_id)
        check_escalation(status=row.status, line=line, current_line=row.support_line)
        row = await _escalate_row(uow, row, line=line, reason=reason, source="agent", now=now)
        await uow.commit()
    return ticket_read(row)


async def escalate_from_event(
    uow: IntakeUnitOfWork,
    *,
    ticket_id: UUID,
    line: int | None,
    reason: str,
    now: datetime,
    assignee: str | None = None,
) -> bool:
    """Apply an escalation service decision; a stale or repeated one changes nothing.

    The decision may move the ticket up a line and, where the policy says, hand a
    still-unassigned ticket to the engineer on duty (``assignee``).
    """
    row = (
        await uow.session.execute(select(ticket).where(ticket.c.id == ticket_id).with_for_update())
    ).one_or_none()
    if row is None or row.status not in OPEN_STATUSES:
        return False
    moves = line is not None and row.support_line < line <= 3
    assigns = assignee is not None and row.assignee is None
    if moves and line is not None:
        row = await _escalate_row(uow, row, line=line, reason=reason, source="escalation", now=now)
    if assigns and assignee is not None:
        row = await _save(
            uow,
            row,
            values={"assignee": assignee},
            events=[
                TicketAssigned(
                    **_base(row, row.status, now),
                    assignee=assignee,
                    previous_assignee=None,
                    source="escalation",
                )
            ],
            now=now,
        )
    return moves or assigns


async def auto_close_due(uow: IntakeUnitOfWork, *, now: datetime, batch: int = 50) -> int:
    """Close resolved tickets whose agreed time passed without an objection (the durable job)."""
    async with uow:
        rows = (
            await uow.session.execute(
                select(ticket)
                .where(ticket.c.status == TicketStatus.resolved, ticket.c.auto_close_at <= now)
                .order_by(ticket.c.auto_close_at)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        system = Actor(kind=ActorKind.system, name="auto-close")
        for row in rows:
            await _apply_transition(
                uow, row, action=Action.auto_close, actor=system, now=now, config=IntakeConfig()
            )
        await uow.commit()
    return len(rows)


# ---------------------------------------------------------------- change requests


def _cr_read(row: Any) -> ChangeRequestRead:
    return ChangeRequestRead(
        ticket_id=row.id,
        registration_number=row.registration_number,
        cr_status=row.cr_status,
        details=row.cr_details,
        allowed_steps=cr.allowed_steps(row.cr_status),
    )


async def get_change_request(
    ticket_id: UUID, uow: IntakeUnitOfWork, *, scope: UUID | None = None
) -> ChangeRequestRead:
    """A change request's state and next steps."""
    await _customer_of(uow, ticket_id, scope)
    async with uow:
        row = (
            await uow.session.execute(select(ticket).where(ticket.c.id == ticket_id))
        ).one_or_none()
    if row is None or row.cr_status is None:
        raise NotFound(
            f"No change request {ticket_id}; open one with POST /api/v1/tickets and "
            'type="change_request".',
            slug="no-change-request",
        )
    return _cr_read(row)


async def advance_change_request(
    ticket_id: UUID,
    cmd: ChangeRequestStep,
    *,
    actor: Actor,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    now: datetime,
    scope: UUID | None = None,
) -> ChangeRequestRead:
    """Take one step of the change-request workflow; each step is one event."""
    customer_id = await _customer_of(uow, ticket_id, scope)
    await verify_contact(actor, customer_id=customer_id, entitlements=entitlements)
    details = cmd.model_dump(mode="json", exclude={"step", "actor"}, exclude_none=True)
    async with uow:
        row = await _locked(uow, ticket_id)
        if row.cr_status is None:
            raise Conflict(
                f"Ticket {row.registration_number} is a {row.type}, not a change request.",
                slug="not-a-change-request",
            )
        if row.status in FINAL_STATUSES:
            raise Conflict(
                f"Ticket {row.registration_number} is {row.status}; its change request is over.",
                slug="ticket-final",
                allowed=[],
            )
        target = cr.advance(status=row.cr_status, step=cmd.step, actor=actor.kind, details=details)
        history = list(row.cr_details.get("history", []))
        history.append({"step": str(cmd.step), "at": now.isoformat(), "by": actor.label, **details})
        merged = {**row.cr_details, **{k: v for k, v in details.items() if k != "comment"}}
        merged["history"] = history
        row = await _save(
            uow,
            row,
            values={"cr_status": target, "cr_details": merged},
            events=[
                TicketChangeRequestAdvanced(
                    **_base(row, row.status, now),
                    step=cmd.step,
                    cr_status=target,
                    previous_cr_status=row.cr_status,
                    actor=actor.label,
                    details=details,
                )
            ],
            now=now,
        )
        await uow.commit()
    return _cr_read(row)


# ---------------------------------------------------------------- reading


async def get_ticket(
    ticket_id: UUID,
    uow: IntakeUnitOfWork,
    *,
    actor: ActorKind | None = None,
    scope: UUID | None = None,
) -> TicketRead:
    """Return one ticket with its SLA summary, or raise NotFound."""
    async with uow:
        row = (
            await uow.session.execute(select(ticket).where(ticket.c.id == ticket_id))
        ).one_or_none()
        if row is None or (scope is not None and row.customer_id != scope):
            raise NotFound(
                f"No ticket {ticket_id}; list tickets with GET /api/v1/tickets.", slug="no-ticket"
            )
        sla = (await queries.sla_summaries(uow.session, [ticket_id]))[ticket_id]
    return ticket_read(row, sla=sla, actor=actor)


async def list_tickets(uow: IntakeUnitOfWork, **filters: Any) -> TicketPage:
    async with uow:
        rows, cursor = await queries.list_tickets(uow.session, **filters)
        slas = await queries.sla_summaries(uow.session, [r.id for r in rows])
    return TicketPage(items=[ticket_read(r, sla=slas[r.id]) for r in rows], next_cursor=cursor)


async def work_queue(
    uow: IntakeUnitOfWork, *, assignee: str | None, customer_ids: list[UUID], limit: int
) -> list[QueueItem]:
    async with uow:
        rows = await queries.work_queue(
            uow.session, assignee=assignee, customer_ids=customer_ids, limit=limit
        )
    return [
        QueueItem(
            id=r.id,
            registration_number=r.registration_number,
            tier=r.tier,
            tier_priority=r.tier_priority,
            severity=r.severity,
            status=r.status,
            assignee=r.assignee,
            subject=r.subject,
            received_at=r.received_at,
            next_due_at=r.next_due_at,
            breached=bool(r.breached),
        )
        for r in rows
    ]


async def count_tickets(uow: IntakeUnitOfWork) -> int:
    """How many tickets exist (for health and benchmarks)."""
    async with uow:
        return int(await uow.session.scalar(select(func.count()).select_from(ticket)) or 0)


# ---------------------------------------------------------------- email and chat

REGISTRATION_RE = re.compile(r"\b([A-Z]{1,10}-\d{4}-\d{6})\b")


def _message_key(value: str) -> str:
    return value.strip().strip("<>").strip()


@dataclass(frozen=True)
class _MessageKey:
    """Who sent an inbound message and under which id (the dedupe key of channel_message).

    Chat platforms number messages per chat and anybody can write any Message-ID, so a
    message is known by its channel, the customer the sender belongs to, the conversation
    (the chat id; for email the sender's address) and its external id.
    """

    channel: str
    customer_id: UUID
    conversation: str
    external_id: str

    def where(self) -> list[Any]:
        return [
            channel_message.c.channel == self.channel,
            channel_message.c.customer_id == self.customer_id,
            channel_message.c.conversation == self.conversation,
            channel_message.c.external_id == self.external_id,
        ]


async def _seen_message(uow: IntakeUnitOfWork, mk: _MessageKey) -> tuple[Row[Any], Any] | None:
    found = (await uow.session.execute(select(channel_message).where(*mk.where()))).one_or_none()
    if found is None:
        return None
    row = (
        await uow.session.execute(
            select(ticket).where(
                ticket.c.id == found.ticket_id, ticket.c.customer_id == mk.customer_id
            )
        )
    ).one_or_none()
    # The key holds the customer, so the ticket is always theirs; never replay another's.
    return None if row is None else (row, found)


async def _thread_of(
    uow: IntakeUnitOfWork, mk: _MessageKey, *, reply_to: str | None, text_in: str
) -> UUID | None:
    if reply_to:
        stmt = select(channel_message.c.ticket_id).where(
            channel_message.c.channel == mk.channel,
            channel_message.c.customer_id == mk.customer_id,
            channel_message.c.external_id == _message_key(reply_to),
        )
        if mk.channel == Channel.chat:
            # Chat message ids are per chat: a reply names a message of the same chat.
            stmt = stmt.where(channel_message.c.conversation == mk.conversation)
        tid = await uow.session.scalar(stmt.limit(1))
        if tid is not None:
            return UUID(str(tid))
    for number in REGISTRATION_RE.findall(text_in):
        tid = await uow.session.scalar(
            select(ticket.c.id).where(ticket.c.registration_number == number)
        )
        if tid is not None:
            return UUID(str(tid))
    return None


def _replay(seen: tuple[Row[Any], Any]) -> InboundResult:
    row, found = seen
    return InboundResult(
        outcome=found.outcome, duplicate=True, ticket=ticket_read(row), comment_id=found.comment_id
    )


async def _inbound(
    *,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    config: IntakeConfig,
    now: datetime,
    channel: Channel,
    external_id: str,
    conversation: str,
    reply_to: str | None,
    thread_text: str,
    lookup: dict[str, str],
    build: Any,
    body: str,
    actor_name: str,
    attachments: list[dict[str, Any]],
    scope: UUID | None,
) -> InboundResult:
    """Shared flow of email and chat: dedupe by sender and message id, thread a reply, else admit.

    The sender's entitlement and the key's scope are checked before anything is looked up,
    so a repeat is answered only to the customer (and key) the first message came from.
    """
    entitlement = await entitlements.for_contact(**lookup)
    check_scope(entitlement, scope)
    mk = _MessageKey(channel, entitlement.customer_id, conversation, _message_key(external_id))
    async with uow:
        seen = await _seen_message(uow, mk)
        thread = await _thread_of(uow, mk, reply_to=reply_to, text_in=thread_text)
    if seen is not None:
        return _replay(seen)
    if thread is None:
        cmd: TicketCreate = build(entitlement)
        await check_feature(cmd, entitlement, entitlements)
    async with uow:
        # The same message posted twice at once: the second waits here, then sees the first.
        await uow.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
            {"k": f"intake.msg.{channel}.{mk.customer_id}.{mk.conversation}.{mk.external_id}"},
        )
        seen = await _seen_message(uow, mk)
        if seen is not None:
            return _replay(seen)
        comment_id: UUID | None = None
        if thread is not None:
            owner = await uow.session.scalar(
                select(ticket.c.customer_id).where(ticket.c.id == thread)
            )
            if owner != entitlement.customer_id:
                raise Forbidden(
                    "The reply comes from a contact of another customer than the ticket's; "
                    "only the ticket's customer may add to it.",
                    slug="not-customers-contact",
                )
            actor = Actor(
                kind=ActorKind.customer, name=actor_name, contact_email=lookup.get("email")
            )
            row, comment_id = await _comment_in_tx(
                uow,
                thread,
                body=body,
                public=True,
                actor=actor,
                channel=channel,
                attachments=attachments,
                now=now,
            )
            outcome: Literal["ticket_created", "comment_added"] = "comment_added"
            articles: list[ArticleRef] | None = None
        else:
            origin = {"source_message_id": external_id}
            if channel == Channel.chat:
                origin["chat_id"] = conversation
            row, articles, _ = await _admit(
                uow,
                cmd=cmd,
                entitlement=entitlement,
                config=config,
                now=now,
                idempotency_key=None,
                origin=origin,
            )
            outcome = "ticket_created"
        await uow.session.execute(
            insert(channel_message).values(
                channel=mk.channel,
                customer_id=mk.customer_id,
                conversation=mk.conversation,
                external_id=mk.external_id,
                ticket_id=row.id,
                comment_id=comment_id,
                outcome=outcome,
            )
        )
        await uow.commit()
    return InboundResult(
        outcome=outcome,
        duplicate=False,
        ticket=ticket_read(row, articles=articles),
        comment_id=comment_id,
    )


async def inbound_email(
    msg: EmailIn,
    *,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    config: IntakeConfig,
    now: datetime,
    scope: UUID | None = None,
) -> InboundResult:
    """A message from an email bot: a new ticket, or a comment on the ticket it answers."""
    attachments = [a.model_dump() for a in msg.attachments]

    def build(_: Entitlement) -> TicketCreate:
        return TicketCreate(
            contact_email=msg.from_,
            subject=msg.subject.strip()
            or (msg.body.strip().splitlines() or ["(no subject)"])[0][:200],
            description=msg.body,
            severity=msg.severity,
            channel=Channel.email,
            attachments=msg.attachments,
        )

    return await _inbound(
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        channel=Channel.email,
        external_id=msg.message_id,
        conversation=str(msg.from_).lower(),
        reply_to=msg.in_reply_to,
        thread_text=msg.subject,
        lookup={"email": str(msg.from_)},
        build=build,
        body=msg.body or msg.subject,
        actor_name=str(msg.from_),
        scope=scope,
        attachments=attachments,
    )


async def inbound_chat(
    msg: ChatIn,
    *,
    uow: IntakeUnitOfWork,
    entitlements: EntitlementClient,
    config: IntakeConfig,
    now: datetime,
    scope: UUID | None = None,
) -> InboundResult:
    """A message from a chat bot: a new ticket, or a comment on the ticket it answers."""

    def build(entitlement: Entitlement) -> TicketCreate:
        first = msg.text.strip().splitlines()[0] if msg.text.strip() else "(chat message)"
        # A chat id identifies the contact; their email is not known here, so none is stored.
        return TicketCreate.model_construct(
            contact_email="",
            subject=first[:200],
            description=msg.text,
            severity=msg.severity,
            type=TicketType.incident,
            channel=Channel.chat,
            product=None,
            product_version=None,
            entered_by=None,
            requested_feature=None,
            attachments=[],
        )

    return await _inbound(
        uow=uow,
        entitlements=entitlements,
        config=config,
        now=now,
        channel=Channel.chat,
        external_id=msg.message_id,
        conversation=msg.chat_id,
        reply_to=msg.reply_to_message_id,
        thread_text=msg.text,
        lookup={"chat_id": msg.chat_id},
        build=build,
        body=msg.text,
        actor_name=f"chat:{msg.chat_id}",
        scope=scope,
        attachments=[],
    )


# ---------------------------------------------------------------- knowledge base


def _article_read(row: Any) -> ArticleRead:
    data = dict(row._mapping)
    data.pop("search", None)
    return ArticleRead.model_validate(data)


async def create_article(cmd: ArticleCreate, uow: IntakeUnitOfWork) -> ArticleRead:
    async with uow:
        row = (
            await uow.session.execute(
                insert(kb_article).values(id=new_id(), **cmd.model_dump()).returning(kb_article)
            )
        ).one()
        await uow.commit()
    return _article_read(row)


async def get_article(article_id: UUID, uow: IntakeUnitOfWork) -> ArticleRead:
    async with uow:
        row = (
            await uow.session.execute(select(kb_article).where(kb_article.c.id == article_id))
        ).one_or_none()
    if row is None:
        raise NotFound(f"No article {article_id}; search with GET /api/v1/kb/articles?q=.")
    return _article_read(row)


async def search_articles(
    uow: IntakeUnitOfWork, *, q: str | None, any_word: bool, limit: int
) -> list[ArticleRead]:
    async with uow:
        rows = await queries.search_articles(uow.session, q=q, any_word=any_word, limit=limit)
    return [_article_read(r) for r in rows]
