"""The entitlement read model on real PostgreSQL: the projection's writes and admission's reads.

Events go through ``handlers.project_entitlement`` in intake's own unit of work (as the
consumer runs it); checks go through ``ReadModelEntitlements``, whose HTTP client fails
the test when the read model should have answered.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from intake.adapters.entitlement import ReadModelEntitlements
from intake.adapters.entitlement_signal import ChangeSignal
from intake.adapters.uow import IntakeUnitOfWork
from intake.handlers import project_entitlement
from shared.db import sessionmaker
from shared.errors import ServiceUnavailable
from shared.events.base import Envelope
from shared.events.contracts import (
    ContactChanged,
    ContractChanged,
    CustomerChanged,
    EntitlementState,
)

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

NOW = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)


def answer(customer_id: uuid.UUID, tier: str, priority: int) -> dict[str, Any]:
    return {
        "customer_id": str(customer_id),
        "tier": tier,
        "priority": priority,
        "policy_version": f"{tier}-policy",
        "max_open_tickets": None if tier == "premium" else 1,
        "features": {"critical_incidents": tier != "basic"},
    }


async def project(engine: AsyncEngine, event: EntitlementState) -> None:
    uow = IntakeUnitOfWork(sessionmaker(engine), schema="intake", source="intake")
    async with uow:
        envelope = Envelope.wrap(event, source="entitlement", subject=str(event.customer_id))
        await project_entitlement(event, envelope, uow)
        await uow.commit()


class Checks:
    """A ReadModelEntitlements whose HTTP side counts its calls and answers ``http_answer``."""

    def __init__(self, engine: AsyncEngine, *, http_answer: dict[str, Any] | None = None) -> None:
        self.calls: list[str] = []
        self.signal = ChangeSignal(settle_seconds=0)
        self.signal.connected()

        def entitlement(request: httpx.Request) -> httpx.Response:
            self.calls.append(str(request.url))
            if http_answer is None:
                raise httpx.ConnectError("entitlement is down")
            return httpx.Response(200, json=http_answer)

        client = httpx.AsyncClient(
            transport=httpx.MockTransport(entitlement), base_url="http://entitlement"
        )
        self.client = ReadModelEntitlements(
            client, engine=lambda: engine, signal=self.signal, now=lambda: NOW
        )


async def test_contact_and_customer_answered_from_the_model(mail_engine: AsyncEngine) -> None:
    customer_id, contact_id = uuid.uuid4(), uuid.uuid4()
    email = f"rm-{contact_id.hex[:8]}@Example.com"
    await project(
        mail_engine,
        CustomerChanged(
            customer_id=customer_id,
            change="created",
            customer={"id": str(customer_id)},
            entitlement=answer(customer_id, "basic", 5),
            entitlement_version=1,
        ),
    )
    await project(
        mail_engine,
        ContractChanged(
            customer_id=customer_id,
            change="created",
            contract={},
            entitlement=answer(customer_id, "premium", 1),
            entitlement_until=NOW + timedelta(days=365),
            entitlement_version=2,
        ),
    )
    await project(
        mail_engine,
        ContactChanged(
            customer_id=customer_id,
            change="created",
            contact={"id": str(contact_id), "email": email, "chat_id": "tg-1", "active": True},
            contact_id=contact_id,
            entitlement=answer(customer_id, "premium", 1),
            entitlement_until=NOW + timedelta(days=365),
            entitlement_version=3,
        ),
    )
    checks = Checks(mail_engine)

    by_email = await checks.client.for_contact(email=email.lower())
    by_chat = await checks.client.for_contact(chat_id="tg-1")
    whole = await checks.client.for_customer(customer_id)

    assert (by_email.tier, by_email.contact_id, by_email.customer_id) == (
        "premium",
        contact_id,
        customer_id,
    )
    assert by_chat.contact_id == contact_id
    assert whole.contact_id is None
    assert whole.tier == "premium"
    assert checks.calls == []


async def test_an_older_or_repeated_event_changes_nothing(mail_engine: AsyncEngine) -> None:
    customer_id, contact_id = uuid.uuid4(), uuid.uuid4()
    email = f"rm-{contact_id.hex[:8]}@example.com"
    contact = {"id": str(contact_id), "email": email, "active": True}
    newest = ContactChanged(
        customer_id=customer_id,
        change="created",
        contact=contact,
        contact_id=contact_id,
        entitlement=answer(customer_id, "business", 2),
        entitlement_version=5,
    )
    await project(mail_engine, newest)
    await project(mail_engine, newest)  # redelivered
    await project(
        mail_engine,
        ContactChanged(
            customer_id=customer_id,
            change="deactivated",
            contact={**contact, "active": False},
            contact_id=contact_id,
            entitlement=answer(customer_id, "basic", 5),
            entitlement_version=4,  # older: arrived late
        ),
    )

    found = await Checks(mail_engine).client.for_contact(email=email)

    assert found.tier == "business"


async def test_what_the_model_cannot_answer_goes_to_entitlement(mail_engine: AsyncEngine) -> None:
    customer_id, contact_id = uuid.uuid4(), uuid.uuid4()
    email = f"rm-{contact_id.hex[:8]}@example.com"
    contact = {"id": str(contact_id), "email": email, "active": True}
    await project(
        mail_engine,
        ContactChanged(
            customer_id=customer_id,
            change="created",
            contact=contact,
            contact_id=contact_id,
            entitlement=answer(customer_id, "extended", 3),
            entitlement_until=NOW + timedelta(days=1),
            entitlement_version=1,
        ),
    )
    fresh = answer(customer_id, "basic", 5) | {"contact_id": str(contact_id)}
    checks = Checks(mail_engine, http_answer=fresh)

    # Deactivated in entitlement: the signal came, the event not yet.
    checks.signal.heard(f"{customer_id} 2")
    assert (await checks.client.for_contact(email=email)).tier == "basic"
    # Never seen at all.
    await checks.client.for_contact(email="nobody-" + email)
    assert len(checks.calls) == 2

    # The deactivation is applied: intake still asks entitlement, which refuses.
    await project(
        mail_engine,
        ContactChanged(
            customer_id=customer_id,
            change="deactivated",
            contact={**contact, "active": False},
            contact_id=contact_id,
            entitlement=answer(customer_id, "extended", 3),
            entitlement_version=2,
        ),
    )
    down = Checks(mail_engine)
    with pytest.raises(ServiceUnavailable):
        await down.client.for_contact(email=email)
    assert len(down.calls) == 1
