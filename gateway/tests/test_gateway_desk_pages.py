"""The agents' desk's pages over a fake intake: who may open them, the queue's filters, the
ticket's page, a move posted with its CSRF token (Post/Redirect/Get), a refusal in words,
a service that cannot be reached (never a 500)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from gateway.app import create_app
from gateway.config import Settings, WebSettings
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN

from .conftest import ADMIN, auth

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

PASSWORD = "correct horse battery"
CUSTOMER = uuid.uuid4()
STAFF: dict[str, dict[str, Any]] = {}
CONTACTS: set[str] = set()
MAILS: list[dict[str, Any]] = []
POSTED: list[tuple[str, dict[str, Any]]] = []
NEW, ON_LINE_2, DOWN, REFUSING = (str(uuid.uuid4()) for _ in range(4))
TICKETS: dict[str, dict[str, Any]] = {
    NEW: {"subject": "Posting fails", "support_line": 1, "tier": "premium"},
    ON_LINE_2: {"subject": "Reports slow", "support_line": 2, "tier": "standard"},
    REFUSING: {"subject": "Will refuse", "support_line": 1, "tier": "standard"},
}


def _ticket(tid: str) -> dict[str, Any]:
    base = TICKETS[tid]
    return {
        "id": tid,
        "registration_number": f"T-{tid[:4]}",
        "status": "new",
        "severity": "high",
        "assignee": None,
        "contact_email": "ann@acme.example",
        "received_at": "2026-12-07T09:00:00+00:00",
        "description": "It fails.",
        "next_due_at": "2099-01-01T00:00:00+00:00",
        "breached": False,
        **base,
    }


def _services(request: httpx.Request) -> httpx.Response:
    path, port = request.url.path, request.url.port
    if port == 8104 and path.startswith("/api/v1/staff/"):
        member = STAFF.get(path.rsplit("/", 1)[1])
        return httpx.Response(200, json=member) if member else httpx.Response(404, json={})
    if port == 8105 and path == "/internal/mail":
        MAILS.append(json.loads(request.content))
        return httpx.Response(202, json={"queued": True})
    if port == 8102 and path == "/api/v1/entitlements":
        email = request.url.params.get("contact_email", "")
        if email not in CONTACTS:
            return httpx.Response(404, json={"detail": "unknown contact"})
        return httpx.Response(200, json={"customer_id": str(CUSTOMER), "customer_name": "Acme"})
    if DOWN in path:
        raise httpx.ConnectError("connection refused", request=request)
    if path == "/api/v1/queue":
        return httpx.Response(200, json=[_ticket(t) for t in TICKETS])
    tid = path.split("/")[4] if path.startswith("/api/v1/tickets/") else ""
    if tid and tid not in TICKETS:
        return httpx.Response(404, json={"detail": "No ticket with that id is visible."})
    if request.method == "POST":
        POSTED.append((path, json.loads(request.content)))
        if tid == REFUSING:
            return httpx.Response(
                409,
                json={
                    "type": "/problems/illegal-transition",
                    "detail": "Cannot take a ticket that is closed.",
                },
                headers={"content-type": "application/problem+json"},
            )
        return httpx.Response(200, json=_ticket(tid))
    if path.endswith("/comments"):
        return httpx.Response(200, json=[])
    if path.endswith("/sla"):
        return httpx.Response(200, json=_sla())
    if path == "/api/v1/kb/articles":
        return httpx.Response(200, json=[{"title": "Posting errors", "body": "Check the period."}])
    return httpx.Response(200, json=_ticket(tid))


def _sla() -> dict[str, Any]:
    return {
        "timers": [
            {
                "timer": "response",
                "state": "running",
                "due_at": "2099-01-01T00:00:00+00:00",
                "working_time_left_seconds": 3600,
            }
        ],
        "events": [
            {
                "type": "ticket.created",
                "occurred_at": "2026-12-07T09:00:00+00:00",
                "status": "new",
                "actor": "customer:ann@acme.example",
            }
        ],
    }


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        public_base_url="http://desk.example",
        web=WebSettings(access_cache_seconds=0),
        log_json=False,
    )
    application = create_app(settings, upstream_transport=httpx.MockTransport(_services))
    async with LifespanManager(application):
        yield application


@pytest_asyncio.fixture(loop_scope="session")
async def web(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    octets = uuid.uuid4().bytes[:3]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("10.{}.{}.{}".format(*octets), 1)),
        base_url="http://desk.example",
        headers={"accept-language": "en"},
    ) as client:
        yield client


async def _signed_in(web: httpx.AsyncClient, role: str = "engineer") -> dict[str, Any]:
    """A staff member invited, with a password, signed in; ``web`` holds the session."""
    sid = str(uuid.uuid4())
    member = {
        "id": sid,
        "name": f"Eng {sid[:4]}",
        "email": f"s{sid[:8]}@vendor.example",
        "role": role,
        "active": True,
        "admin": False,
        "language": "en",
        "line": 1,
    }
    STAFF[sid] = member
    r = await web.post("/api/v1/accounts/invitations", json={"staff_id": sid}, headers=auth())
    assert r.status_code == 201, r.text
    [mail] = [m for m in MAILS if m["to"] == member["email"]]
    link = str(mail["values"]["link"]).removeprefix("http://desk.example")
    r = await web.post(link, data={"password": PASSWORD, "confirmation": PASSWORD})
    assert r.status_code == 303, r.text
    r = await web.post("/desk/signin", data={"email": member["email"], "password": PASSWORD})
    assert r.status_code == 303, r.text
    return member


async def _csrf(web: httpx.AsyncClient) -> str:
    r = await web.get("/api/v1/session")
    return str(r.json()["csrf_token"])


class TestWhoMayOpenTheDesk:
    async def test_no_session_goes_to_the_staff_sign_in_and_back(
        self, web: httpx.AsyncClient
    ) -> None:
        r = await web.get(f"/desk/tickets/{NEW}")

        assert r.status_code == 303
        assert r.headers["location"] == f"/desk/signin?next=/desk/tickets/{NEW}"

    async def test_a_contacts_session_gets_the_404_page(self, web: httpx.AsyncClient) -> None:
        email = f"c{uuid.uuid4().hex[:8]}@acme.example"
        CONTACTS.add(email)
        await web.post("/portal/signin", data={"email": email})
        [mail] = [m for m in MAILS if m["to"] == email]
        link = str(mail["values"]["link"]).removeprefix("http://desk.example")
        assert (await web.get(link)).status_code == 303

        assert (await web.get("/desk")).status_code == 404
        assert (await web.get(f"/desk/tickets/{NEW}")).status_code == 404


class TestQueue:
    async def test_the_queue_in_intakes_order_filtered_by_line(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in(web)

        every = await web.get("/desk")
        line_2 = await web.get("/desk?line=2&tier=&severity=high")

        assert every.status_code == 200
        assert "unsafe-inline" not in every.headers["content-security-policy"]
        assert every.text.index(NEW) < every.text.index(ON_LINE_2)
        assert ON_LINE_2 in line_2.text
        assert NEW not in line_2.text

    async def test_a_manager_works_the_desk_too(self, web: httpx.AsyncClient) -> None:
        await _signed_in(web, role="manager")

        assert (await web.get("/desk")).status_code == 200


class TestTicketPage:
    async def test_shows_deadline_countdown_history_moves_and_suggestions(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in(web)

        r = await web.get(f"/desk/tickets/{NEW}")

        assert r.status_code == 200
        assert 'data-due="2099-01-01T00:00:00+00:00"' in r.text
        assert 'data-type="ticket.created"' in r.text
        assert "ann@acme.example" in r.text
        assert 'id="move-take"' in r.text
        assert 'id="move-resolve"' not in r.text  # a new ticket is taken first
        assert "Posting errors" in r.text

    async def test_a_ticket_that_is_not_there_is_the_404_page(self, web: httpx.AsyncClient) -> None:
        await _signed_in(web)

        assert (await web.get(f"/desk/tickets/{uuid.uuid4()}")).status_code == 404
        assert (await web.get("/desk/tickets/not-an-id")).status_code == 404

    async def test_a_service_that_cannot_be_reached_is_503_not_500(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in(web)

        assert (await web.get(f"/desk/tickets/{DOWN}")).status_code == 503


class TestMoves:
    async def test_take_assigns_to_me_and_redirects_to_the_ticket(
        self, web: httpx.AsyncClient
    ) -> None:
        member = await _signed_in(web)

        r = await web.post(f"/desk/tickets/{NEW}/take", data={"csrf_token": await _csrf(web)})

        assert (r.status_code, r.headers["location"]) == (
            303,
            f"/desk/tickets/{NEW}?done=take#notice",
        )
        assert POSTED[-1] == (
            f"/api/v1/tickets/{NEW}/transitions",
            {"action": "take", "assignee": member["id"]},
        )

    async def test_a_move_without_the_csrf_token_reaches_no_service(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in(web)
        before = len(POSTED)

        r = await web.post(f"/desk/tickets/{NEW}/take", data={})

        assert r.status_code == 403
        assert len(POSTED) == before

    async def test_a_refusal_is_shown_in_words_with_the_apis_detail(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in(web)

        r = await web.post(f"/desk/tickets/{REFUSING}/take", data={"csrf_token": await _csrf(web)})

        assert r.status_code == 409
        assert "This move is not possible in the ticket" in r.text
        assert "Cannot take a ticket that is closed." in r.text
        assert 'role="alert"' in r.text

    async def test_an_unknown_move_is_the_404_page(self, web: httpx.AsyncClient) -> None:
        await _signed_in(web)

        r = await web.post(f"/desk/tickets/{NEW}/confirm", data={"csrf_token": await _csrf(web)})

        assert r.status_code == 404
