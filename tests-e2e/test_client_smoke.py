"""The generated client (``clients/python``) drives the platform: the document is usable.

Customer, contact, contract, ticket and a transition, each through the client's own
method for the operation (``customers.create`` is ``customers_create``), with its typed
models, against the session's stack; and a problem answer parsed into ``Problem``,
in the language asked for.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

import pytest
from support_desk_client import AuthenticatedClient
from support_desk_client.api.entitlement import (
    customers_contacts_create,
    customers_contracts_create,
    customers_create,
)
from support_desk_client.api.tickets import (
    intake_web_form,
    tickets_create,
    tickets_get,
    tickets_transition,
)
from support_desk_client.models import (
    Action,
    ContactCreate,
    ContractCreate,
    CustomerCreate,
    Problem,
    Severity,
    TicketCreate,
    TransitionCreate,
)

from deskstack.stack import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


def _client(stack: RunningStack, **headers: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=stack.gateway_url, token=stack.admin_key, timeout=30.0, headers=headers
    )


T = TypeVar("T")


def _ok(answer: T | Problem | None) -> T:
    """The parsed success model (a Problem or nothing fails the test, saying which)."""
    assert answer is not None
    assert not isinstance(answer, Problem), answer.to_dict()
    return answer


async def test_a_ticket_from_customer_to_transition_through_the_client(
    stack: RunningStack,
) -> None:
    async with _client(stack) as client:
        name = f"Client smoke {uuid.uuid4().hex[:8]}"
        customer = _ok(
            await customers_create.asyncio(
                client=client, body=CustomerCreate(name=name, trained_specialists=1)
            )
        )
        email = f"{uuid.uuid4().hex[:10]}@acme.example"
        contact = _ok(
            await customers_contacts_create.asyncio(
                customer.id, client=client, body=ContactCreate(name="Ivan", email=email)
            )
        )
        signed = ContractCreate(
            tier="business", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2099, 12, 31)
        )
        contract = _ok(
            await customers_contracts_create.asyncio(customer.id, client=client, body=signed)
        )
        assert contract.tier == "business"
        opened = TicketCreate(
            contact_email=contact.email, subject="Posting fails", severity=Severity.HIGH
        )
        ticket = _ok(await tickets_create.asyncio(client=client, body=opened))
        assert ticket.customer_id == customer.id
        assert ticket.tier == "business"

        take = TransitionCreate(action=Action.TAKE, assignee="agent-1")
        moved = _ok(await tickets_transition.asyncio(ticket.id, client=client, body=take))
        assert moved.status == "in_progress"
        again = _ok(await tickets_get.asyncio(ticket.id, client=client))
        assert again.status == "in_progress"
        assert again.assignee == "agent-1"

        # The web form's body is form-encoded; the document says so and the client sends it.
        form = TicketCreate(contact_email=contact.email, subject="Sent from the web form")
        posted = _ok(await intake_web_form.asyncio(client=client, body=form))
        assert posted.channel == "web"
        assert posted.subject == "Sent from the web form"


async def test_a_problem_comes_back_typed_and_in_russian(stack: RunningStack) -> None:
    async with _client(stack, **{"Accept-Language": "ru"}) as client:
        missing = await tickets_get.asyncio_detailed(uuid.uuid4(), client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, Problem), missing.content
    assert missing.parsed.type_ == "/problems/no-ticket"
    assert missing.parsed.title == "Не найдено"
    assert missing.parsed.detail.startswith("Нет заявки ")
