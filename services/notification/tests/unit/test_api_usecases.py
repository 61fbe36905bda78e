"""The API's use cases on a fake unit of work: subscriptions and the delivery log.

docs/notification.md's "Webhooks" and "API and access": unknown types and unsafe URLs
are refused, a bound key sees only its customer's, the secret is made once.
"""

from __future__ import annotations

from uuid import uuid4

import pytest

from notification.domain.planning import Planned
from notification.uow import DeliveryFilter
from notification.usecases import reading, webhooks
from shared.errors import NotFound, Unprocessable
from shared.events.tickets import TicketCommented

from .conftest import NOW, FakeUnitOfWork, wrap

pytestmark = pytest.mark.asyncio
CUSTOMER = uuid4()


def request(*types: str, customer_id: object = None) -> webhooks.Subscribe:
    return webhooks.Subscribe(
        url="https://hooks.example.com/in",
        event_types=list(types),
        customer_id=customer_id,  # type: ignore[arg-type]
        created_by="key-1",
    )


class TestSubscribe:
    async def test_it_stores_an_active_subscription_with_a_new_secret(
        self, uow: FakeUnitOfWork
    ) -> None:
        made = await webhooks.subscribe(
            uow, request("ticket.created", "ticket.created", "*"), now=NOW
        )
        assert made.secret.startswith("whsec_")
        assert (made.event_types, made.active, made.created_by) == (
            ["*", "ticket.created"],
            True,
            "key-1",
        )
        assert uow.subscriptions.items == {made.id: made}
        assert uow.commits == 1

    async def test_two_subscriptions_get_different_secrets(self, uow: FakeUnitOfWork) -> None:
        a = await webhooks.subscribe(uow, request("*"), now=NOW)
        b = await webhooks.subscribe(uow, request("*"), now=NOW)
        assert a.secret != b.secret

    async def test_an_unknown_event_type_is_refused(self) -> None:
        with pytest.raises(Unprocessable) as refused:
            webhooks.check_event_types(
                ["ticket.created", "no.such"], subscribable=["ticket.created"]
            )
        assert "no.such" in str(refused.value)

    async def test_a_private_address_is_refused_unless_allowed(self) -> None:
        with pytest.raises(Unprocessable):
            await webhooks.check_target("http://127.0.0.1:8080/hook", allow_private=False)
        await webhooks.check_target("http://127.0.0.1:8080/hook", allow_private=True)


class TestVisible:
    async def test_a_bound_key_does_not_see_anothers(self, uow: FakeUnitOfWork) -> None:
        theirs = uow.subscriptions.make("*", customer_id=uuid4())
        with pytest.raises(NotFound):
            await webhooks.visible(uow, theirs.id, scope=CUSTOMER)
        assert await webhooks.visible(uow, theirs.id, scope=None) == theirs

    async def test_an_unknown_id_is_not_found(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound):
            await webhooks.visible(uow, uuid4(), scope=None)


class TestUnsubscribe:
    async def test_it_deletes_and_commits(self, uow: FakeUnitOfWork) -> None:
        sub = uow.subscriptions.make("*", customer_id=CUSTOMER)
        await webhooks.unsubscribe(uow, sub.id, scope=CUSTOMER)
        assert uow.subscriptions.items == {}
        assert uow.commits == 1

    async def test_another_customers_cannot_be_deleted(self, uow: FakeUnitOfWork) -> None:
        sub = uow.subscriptions.make("*", customer_id=uuid4())
        with pytest.raises(NotFound):
            await webhooks.unsubscribe(uow, sub.id, scope=CUSTOMER)
        assert sub.id in uow.subscriptions.items


class TestDeliveryLog:
    async def add(self, uow: FakeUnitOfWork, customer_id: object, recipient: str) -> None:
        event = TicketCommented(ticket_id=uuid4(), comment_id=uuid4(), public=True)
        await uow.deliveries.add(
            [Planned(channel="email", recipient=recipient, template="agent_comment")],
            source=wrap(event),
            ticket_id=event.ticket_id,
            customer_id=customer_id,  # type: ignore[arg-type]
            due=NOW,
        )

    async def test_a_bound_key_reads_only_its_customers(self, uow: FakeUnitOfWork) -> None:
        await self.add(uow, CUSTOMER, "mine@x.io")
        await self.add(uow, uuid4(), "theirs@y.io")
        logged = await reading.deliveries(uow, DeliveryFilter(customer_id=CUSTOMER), limit=10)
        assert [item.delivery.recipient for item in logged] == ["mine@x.io"]

    async def test_each_delivery_comes_with_its_attempts(self, uow: FakeUnitOfWork) -> None:
        from notification.domain.delivery import Attempt

        await self.add(uow, CUSTOMER, "a@x.io")
        [row] = uow.deliveries.rows.values()
        uow.deliveries.attempts.append(
            Attempt(row.id, 1, NOW, ok=False, status_code=503, reply="busy", latency_ms=3)
        )
        [item] = await reading.deliveries(uow, DeliveryFilter(), limit=10)
        assert [(a.attempt, a.status_code) for a in item.attempts] == [(1, 503)]

    async def test_a_ticket_it_does_not_know_is_not_found(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound):
            await reading.ticket_owner(uow, uuid4())
        known = (await uow.tickets.merge(uuid4(), {"customer_id": CUSTOMER})).ticket
        assert await reading.ticket_owner(uow, known.ticket_id) == CUSTOMER
