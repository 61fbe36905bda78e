"""Inbound-event handlers of sla-clock and the registry the consumer dispatches on."""

from collections.abc import Mapping, Sequence

from sqlalchemy import insert

from shared.events import topics
from shared.events.base import Envelope, new_id
from shared.events.sla import TimerScheduled
from shared.events.tickets import TicketCreated
from shared.messaging.consumer import Handler

from sla_clock.adapters.orm import timer
from sla_clock.adapters.uow import SlaUnitOfWork
from sla_clock.domain.targets import DEFAULT_POLICY, Policy, Severity, Tier, compute_due

TOPICS = [topics.TICKETS]


async def start_clocks(envelope: Envelope, uow: SlaUnitOfWork) -> None:
    """Start the response and resolution timers of a newly registered ticket."""
    event = envelope.payload(TicketCreated)
    policy = Policy.from_dict(event.policy) if event.policy else DEFAULT_POLICY
    due = compute_due(
        policy, tier=Tier(event.tier), severity=Severity(event.severity), received_at=event.received_at
    )
    for kind, due_at, (response, resolution) in (
        ("response", due.response_due, policy.targets_for(Tier(event.tier), due.severity)),
        ("resolution", due.resolution_due, policy.targets_for(Tier(event.tier), due.severity)),
    ):
        target = response if kind == "response" else resolution
        timer_id = new_id()
        await uow.session.execute(
            insert(timer).values(
                id=timer_id,
                ticket_id=event.ticket_id,
                kind=kind,
                state="running" if due_at else "no_target",
                tier=event.tier,
                severity=due.severity,
                target=str(target) if target else None,
                started_at=event.received_at,
                due_at=due_at,
            )
        )
        await uow.outbox.publish(
            TimerScheduled(
                ticket_id=event.ticket_id,
                timer=kind,
                timer_id=timer_id,
                customer_id=event.customer_id,
                tier=event.tier,
                severity=due.severity,
                due_at=due_at,
                target=str(target) if target else None,
                started_at=event.received_at,
            ),
            subject=str(event.ticket_id),
        )


HANDLERS: Mapping[str, Sequence[Handler]] = {
    TicketCreated.TYPE: [start_clocks],
}
