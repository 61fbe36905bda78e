"""Mail the gateway asks for: stored once per key as an email delivery, without a customer."""

from __future__ import annotations

import pytest

from notification.usecases.direct_mail import DirectMail, queue_mail

from .conftest import NOW, FakeUnitOfWork

pytestmark = pytest.mark.asyncio


def _mail(**overrides: str) -> DirectMail:
    fields = {
        "key": "sign-in:abc",
        "to": "Ivan@Acme.example",
        "template": "sign_in",
        "language": "en-GB",
    }
    fields.update(overrides)
    return DirectMail(values={"link": "https://d.example/portal/signin/t"}, **fields)


class TestQueueMail:
    async def test_queues_one_email_delivery_to_the_address(self) -> None:
        uow = FakeUnitOfWork()

        queued = await queue_mail(uow, _mail(), now=NOW)

        [row] = uow.deliveries.rows.values()
        assert queued is True
        assert (row.channel, row.recipient, row.template, row.language) == (
            "email",
            "ivan@acme.example",
            "sign_in",
            "en",
        )
        assert row.customer_id is None
        assert row.ticket_id is None
        assert row.context == {"link": "https://d.example/portal/signin/t"}
        assert row.next_attempt_at == NOW

    async def test_the_same_key_twice_is_stored_once(self) -> None:
        uow = FakeUnitOfWork()

        first = await queue_mail(uow, _mail(), now=NOW)
        again = await queue_mail(uow, _mail(), now=NOW)

        assert (first, again) == (True, False)
        assert len(uow.deliveries.rows) == 1

    async def test_an_event_template_cannot_be_asked_for(self) -> None:
        with pytest.raises(ValueError, match="not one the gateway may ask for"):
            await queue_mail(FakeUnitOfWork(), _mail(template="resolved"), now=NOW)
