"""FastAPI dependencies of intake: the unit of work, entitlement, settings, clock and actor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, Request

from intake.adapters.admission_pg import PgAdmissionUnitOfWork
from intake.adapters.entitlement import EntitlementClient
from intake.adapters.uow import IntakeUnitOfWork
from intake.api.schemas import ActorIn
from intake.domain.actors import Actor, resolve_actor
from intake.domain.attachments import AttachmentLimits
from intake.domain.config import IntakeConfig
from intake.uow import AttachmentStore
from intake.usecases.common import customer_of
from shared.auth import ANYONE, Principal, Role, require

# An empty or blank key would be stored as a real key and collide with the customer's next
# such ticket; visible ASCII only, as RFC 9110 tokens and the IETF draft's examples are.
IdempotencyKey = Annotated[
    str | None, Header(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
]


async def _uow(request: Request) -> IntakeUnitOfWork:
    uow: IntakeUnitOfWork = request.app.state.runtime.uow()
    return uow


async def _admission_uow(request: Request) -> PgAdmissionUnitOfWork:
    """The lean unit of work of ``POST /tickets`` (``adapters.admission_pg``: why)."""
    runtime = request.app.state.runtime
    if runtime.engine is None:
        raise RuntimeError("intake is not started")
    return PgAdmissionUnitOfWork(
        runtime.engine,
        schema=runtime.schema,
        source=runtime.name,
        on_commit=runtime.relay.wake if runtime.relay else None,
    )


async def _entitlements(request: Request) -> EntitlementClient:
    client: EntitlementClient = request.app.state.runtime.state.entitlements
    return client


async def _config(request: Request) -> IntakeConfig:
    config: IntakeConfig = request.app.state.runtime.state.config
    return config


async def _attachments(request: Request) -> AttachmentStore:
    store: AttachmentStore = request.app.state.runtime.state.attachments
    return store


async def _limits(request: Request) -> AttachmentLimits:
    limits: AttachmentLimits = request.app.state.runtime.settings.attachments.limits()
    return limits


async def _now(request: Request) -> datetime:
    now: datetime = request.app.state.runtime.clock.now()
    return now


UowDep = Annotated[IntakeUnitOfWork, Depends(_uow)]
AdmissionUowDep = Annotated[PgAdmissionUnitOfWork, Depends(_admission_uow)]
EntitlementsDep = Annotated[EntitlementClient, Depends(_entitlements)]
ConfigDep = Annotated[IntakeConfig, Depends(_config)]
NowDep = Annotated[datetime, Depends(_now)]
StoreDep = Annotated[AttachmentStore, Depends(_attachments)]
LimitsDep = Annotated[AttachmentLimits, Depends(_limits)]


# Who may call what (docs/access-control.md). Every key reads and writes tickets, a
# customer-bound key only its own customer's (``scope`` in each query: a foreign id is 404);
# the work queue, assignment, corrective actions, hardware faults, line escalations and
# knowledge-base writes are support staff's; email and chat intake are the vendor's
# integrations' (system) and a customer's own bots'.
Anyone = Annotated[Principal, Depends(require(*ANYONE))]
Agent = Annotated[Principal, Depends(require(Role.agent))]
Channel_ = Annotated[Principal, Depends(require(Role.system, Role.bot))]


def _own_ticket(*roles: Role) -> Any:
    """``require(*roles)``, and for a customer-bound key the path's ticket within its customer.

    A dependency, so another customer's ticket answers 404 before the body is even read
    (the use cases scope their queries too).
    """
    allowed = require(*roles)

    async def scoped(
        ticket_id: UUID,
        request: Request,
        who: Principal = Depends(allowed),
    ) -> Principal:
        if who.customer_scope is not None:
            await customer_of(await _uow(request), ticket_id, who.customer_scope)
        return who

    scoped.allowed_roles = allowed.allowed_roles  # type: ignore[attr-defined]
    return Depends(scoped)


OwnTicket = Annotated[Principal, _own_ticket(*ANYONE)]


def actor_of(who: Principal, body_actor: ActorIn | None) -> Actor:
    """Who acts: the body's ``actor`` within what the gateway's principal allows (README)."""
    return resolve_actor(
        who,
        kind=body_actor.kind if body_actor else None,
        name=body_actor.name if body_actor else None,
        contact_email=str(body_actor.contact_email)
        if body_actor and body_actor.contact_email
        else None,
    )


def agent_of(who: Principal) -> Actor:
    """The agent acting behind a staff key (the route already required an agent's role)."""
    return actor_of(who, ActorIn(kind="agent"))
