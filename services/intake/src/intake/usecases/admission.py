"""Use case: admit a ticket from an active contact (the generic endpoint and the web form)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from intake.domain.actors import Actor, ActorKind
from intake.domain.admission import (
    Terms,
    admit,
    check_feature,
    check_open_limit,
    check_replay,
    check_scope,
    format_number,
    needs_customer_lock,
)
from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.domain.model import check_generic_channel
from intake.domain.ticket import Ticket
from intake.metrics import count_opened
from intake.uow import AdmissionUnitOfWork, ArticleHit
from intake.usecases import premium
from intake.usecases.common import Entitlements, open_if_limited
from shared.events.base import new_id
from shared.events.vocabulary import Tier

_KNOWLEDGE_BASE = Actor(kind=ActorKind.system, name="knowledge-base")


@dataclass(frozen=True)
class Admitted:
    """The ticket a request became (or the one it repeats) and the articles suggested."""

    ticket: Ticket
    created: bool
    articles: Sequence[ArticleHit] = field(default_factory=list)


async def check_admissible(
    cmd: OpenTicket, terms: Terms, *, entitlements: Entitlements, scope: UUID | None
) -> None:
    """Refuse before any transaction: a foreign key scope, a feature the tier lacks."""
    check_scope(terms, scope)
    if cmd.requested_feature is not None and not terms.features.get(cmd.requested_feature):
        check_feature(cmd, terms, await entitlements.tiers_with(cmd.requested_feature))
    if cmd.subtype is not None:
        await premium.check_subtype_of(cmd, terms.tier, entitlements)


async def admit_in_tx(
    uow: AdmissionUnitOfWork,
    cmd: OpenTicket,
    *,
    terms: Terms,
    config: IntakeConfig,
    now: datetime,
    origin: dict[str, str] | None = None,
) -> Admitted:
    """Register a ticket inside the caller's transaction (which commits)."""
    # One admission per customer at a time where a limit or a tier raise could race
    # (docs/decisions.md); otherwise only a repeated Idempotency-Key waits for its twin.
    if needs_customer_lock(terms):
        await uow.tickets.lock_customer(terms.customer_id)
    elif cmd.idempotency_key:
        await uow.tickets.lock_idempotency_key(terms.customer_id, cmd.idempotency_key)
    if cmd.idempotency_key:
        existing = await uow.tickets.by_idempotency_key(terms.customer_id, cmd.idempotency_key)
        if existing is not None:
            check_replay(existing, cmd)
            return Admitted(existing, created=False)
    check_open_limit(
        terms,
        await open_if_limited(uow, terms),
        advice="add to it (comment) or wait until it is resolved.",
    )
    number = format_number(config.registration_prefix, now, await uow.tickets.next_number())
    ticket = admit(cmd, terms=terms, ticket_id=new_id(), number=number, now=now, origin=origin)
    await uow.tickets.add(ticket)
    count_opened(ticket)
    articles = await uow.articles.suggest(
        f"{cmd.subject}\n{cmd.description}", config.kb_suggestions
    )
    if articles and ticket.tier == Tier.basic:
        # Basic consultations get the knowledge base in the first reply.
        lines = [f"- {a.title} (/api/v1/kb/articles/{a.id})" for a in articles]
        note = ticket.comment(
            new_id(),
            body="These knowledge-base articles may answer your request:\n" + "\n".join(lines),
            public=True,
            actor=_KNOWLEDGE_BASE,
            author="knowledge-base",
            channel=None,
            attachments=[],
            now=now,
        )
        await uow.comments.add(note)
        await uow.tickets.save(ticket)
    return Admitted(ticket, created=True, articles=articles)


async def open_ticket(
    cmd: OpenTicket,
    *,
    uow: AdmissionUnitOfWork,
    entitlements: Entitlements,
    config: IntakeConfig,
    now: datetime,
    scope: UUID | None = None,
) -> Admitted:
    """Admit a ticket from an active contact, or return the one its Idempotency-Key made.

    The generic endpoint's use case: email and chat have their own (deduplicating) ones.
    """
    check_generic_channel(cmd.channel)
    terms = await entitlements.for_contact(email=cmd.contact_email)
    await check_admissible(cmd, terms, entitlements=entitlements, scope=scope)
    async with uow:
        admitted = await admit_in_tx(uow, cmd, terms=terms, config=config, now=now)
        if admitted.created:
            await uow.commit()
    return admitted
