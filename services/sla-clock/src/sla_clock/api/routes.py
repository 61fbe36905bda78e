"""Routes of sla-clock; each parses, calls one use case and maps the result."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response

from shared.auth import ANYONE, Principal, Role, require
from shared.errors import Unprocessable
from shared.events.vocabulary import Tier
from sla_clock import explanations, preview as previews, reports, service, simulate, views
from sla_clock.adapters.policies import PolicySource
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.api.schemas import PreviewIn, SimulateIn

router = APIRouter(tags=["sla"])

# Who may call what (docs/access-control.md): previews and a ticket's timers for every key
# (a customer-bound key only its own tickets), the compliance report for managers and a
# customer's own keys, rebuilding timers for managers.
Reader = Annotated[Principal, Depends(require(*ANYONE))]
Reporter = Annotated[Principal, Depends(require(Role.manager, Role.customer, Role.bot))]
Manager = Annotated[Principal, Depends(require(Role.manager))]
# Simulations are staff work (what-if questions about contracts, disputes handled by the
# desk): a customer's key sees its own tickets' explanations, not other contracts' terms.
Staff = Annotated[Principal, Depends(require(Role.agent))]


def _uow(request: Request) -> SlaUnitOfWork:
    uow: SlaUnitOfWork = request.app.state.runtime.uow()
    return uow


def _policies(request: Request) -> PolicySource:
    policies: PolicySource | None = request.app.state.runtime.state.policies
    assert policies is not None, "create_app always sets the policy source"
    return policies


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.runtime.clock.now()
    return now


@router.post("/sla/preview")
async def preview(body: PreviewIn, request: Request, _: Reader) -> dict[str, Any]:
    """Compute a ticket's response and resolution deadlines without storing anything.

    Without a policy in the body, the programme's current one is read from entitlement.
    """
    policy = (
        previews.parse_policy(body.policy)
        if body.policy is not None
        else await _policies(request).current()
    )
    return previews.preview(
        tier=body.tier,
        severity=body.severity,
        received_at=body.received_at,
        pauses=[(p.from_, p.to) for p in body.pauses],
        policy=policy,
    )


@router.get("/tickets/{ticket_id}/sla")
async def ticket_sla(ticket_id: UUID, request: Request, who: Reader) -> dict[str, Any]:
    """Explain a ticket's timers: state, due instant, time used and left, pauses, events."""
    async with _uow(request) as uow:
        return await views.ticket_view(
            uow, ticket_id, now=_now(request), customer_id=who.customer_scope
        )


@router.get("/tickets/{ticket_id}/sla/explain")
async def explain(
    ticket_id: UUID,
    request: Request,
    who: Reader,
    policy: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
            description="re-run the history under this policy version, or `current` (the programme's)",
        ),
    ] = None,
) -> dict[str, Any]:
    """Say why each deadline is what it is; ``policy=`` re-runs it under another version."""
    source = _policies(request)
    chosen = (
        None
        if policy is None
        else await source.current()
        if policy == "current"
        else await source.version(policy)
    )
    async with _uow(request) as uow:
        return await explanations.explain_ticket(
            uow, ticket_id, now=_now(request), customer_id=who.customer_scope, policy=chosen
        )


@router.post("/sla/simulate")
async def simulate_history(body: SimulateIn, request: Request, _: Staff) -> dict[str, Any]:
    """Run a ticket history given as data under a policy and schedule; nothing is stored."""
    policy = (
        previews.parse_policy(body.policy)
        if body.policy is not None
        else await _policies(request).current()
    )
    if body.schedule is not None:
        try:
            policy = simulate.with_schedule(policy, body.tier, body.schedule)
        except ValueError as exc:
            raise Unprocessable(
                f"The schedule is not valid ({exc}).", slug="invalid-schedule", field="schedule"
            ) from exc
        previews.parse_policy(policy.model_dump(mode="json"))
    return simulate.simulate(
        tier=body.tier,
        severity=body.severity,
        received_at=body.received_at,
        policy=policy,
        history=[step.model_dump() for step in body.history],
        now=body.as_of or _now(request),
    )


@router.post("/sla/tickets/{ticket_id}/rebuild")
async def rebuild(ticket_id: UUID, request: Request, _: Manager) -> dict[str, Any]:
    """Rebuild a ticket's timers from its event history and make that the live state."""
    async with _uow(request) as uow:
        result = await service.rebuild_ticket(uow, ticket_id)
        await uow.commit()
    return {
        "ticket_id": str(result.ticket_id),
        "events": result.events,
        "changed": result.changed,
        "before": result.before,
        "after": result.after,
    }


@router.post("/sla/rebuild")
async def rebuild_open(
    request: Request,
    _: Manager,
    after: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Replay the engine over a page of open tickets (after an engine fix); report what changed.

    Call again with ``after`` = the answer's ``next`` until ``next`` is null.
    """
    result = await service.rebuild_open_tickets(
        request.app.state.runtime.uow, after=after, limit=limit
    )
    return {
        "tickets": result.tickets,
        "changed": [str(t) for t in result.changed],
        "next": str(result.next_after) if result.next_after else None,
    }


@router.get("/sla/report", response_model=None)
async def report(
    request: Request,
    who: Reporter,
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: Annotated[datetime | None, Query()] = None,
    customer: Annotated[UUID | None, Query()] = None,
    tier: Annotated[Tier | None, Query()] = None,
    format: Annotated[str | None, Query(pattern="^(json|csv)$")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> dict[str, Any] | Response:
    """Compliance per tier and severity, as JSON or CSV (``format=csv`` or Accept: text/csv)."""
    for name, value in (("from", from_), ("to", to)):
        if value is not None and value.tzinfo is None:
            raise Unprocessable(
                f"'{name}' must carry a UTC offset, e.g. 2026-01-01T00:00:00+03:00.",
                slug="naive-datetime",
                field=name,
            )
    if who.customer_scope is not None:
        customer = who.customer_scope  # a customer's key sees only its own tickets
    async with _uow(request) as uow:
        body = await reports.report(
            uow,
            now=_now(request),
            received_from=from_,
            received_to=to,
            customer_id=customer,
            tier=tier.value if tier else None,
        )
    wants_csv = format == "csv" or (format is None and "text/csv" in (accept or ""))
    if wants_csv:
        return Response(
            reports.compliance_csv(body["groups"]),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="sla-report.csv"'},
        )
    return body
