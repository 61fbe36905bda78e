"""Browser sign-in at the gateway on real PostgreSQL, with the people services faked in process.

Entitlement (contacts), escalation (staff) and notification (mail) are a
``MockTransport`` here; tests-e2e/test_web_auth.py runs the same flows on the real stack.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from gateway.app import create_app
from gateway.config import Settings, WebSettings
from gateway.sessions import COOKIE, Purpose
from gateway.web.deps import ContactPage
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN

from .conftest import ADMIN, auth, new_key

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

CUSTOMER_A = uuid.uuid4()
FOREIGN_TICKET = uuid.uuid4()
REFUSED_TICKET = uuid.uuid4()
CONTACTS: dict[str, uuid.UUID] = {}
STAFF: dict[str, dict[str, Any]] = {}
MAILS: list[dict[str, Any]] = []
FORWARDED: list[httpx.Request] = []


def _people(request: httpx.Request) -> httpx.Response:
    path, port = request.url.path, request.url.port
    if port == 8102 and path == "/api/v1/entitlements":
        email = request.url.params.get("contact_email", "")
        if email not in CONTACTS:
            return httpx.Response(404, json={"detail": "unknown contact"})
        return httpx.Response(
            200, json={"customer_id": str(CONTACTS[email]), "customer_name": "Acme"}
        )
    if port == 8104 and path.startswith("/api/v1/staff/"):
        member = STAFF.get(path.rsplit("/", 1)[1])
        return httpx.Response(200, json=member) if member else httpx.Response(404, json={})
    if port == 8105 and path == "/internal/mail":
        assert request.headers["x-internal-token"] == TEST_TOKEN
        MAILS.append(httpx.Response(200, content=request.content).json())
        return httpx.Response(202, json={"queued": True})
    FORWARDED.append(request)
    if path == f"/api/v1/tickets/{REFUSED_TICKET}":
        return httpx.Response(409, json={"detail": "The ticket is closed; reopen it first."})
    if path == f"/api/v1/tickets/{FOREIGN_TICKET}":  # another customer's: the service says 404
        return httpx.Response(404, json={"detail": "No ticket with that id is visible."})
    return httpx.Response(
        200, json={"path": path, "customer": request.headers.get("x-principal-customer")}
    )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        public_base_url="http://desk.example",
        web=WebSettings(access_cache_seconds=0, attempts_per_address=5, attempts_per_ip=5),
        log_json=False,
    )
    application = create_app(settings, upstream_transport=httpx.MockTransport(_people))
    async with LifespanManager(application):
        yield application


def browser(app: FastAPI) -> httpx.AsyncClient:
    """A browser from an address of its own: keeps cookies, follows no redirect."""
    octets = uuid.uuid4().bytes[:3]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("10.{}.{}.{}".format(*octets), 1)),
        base_url="http://desk.example",
        headers={"accept-language": "en"},
    )


@pytest_asyncio.fixture(loop_scope="session")
async def web(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(app) as client:
        yield client


def _contact() -> str:
    email = f"c{uuid.uuid4().hex[:8]}@acme.example"
    CONTACTS[email] = CUSTOMER_A
    return email


def _link_of(mail: dict[str, Any]) -> str:
    return str(mail["values"]["link"]).removeprefix("http://desk.example")


def _mails_to(email: str) -> list[dict[str, Any]]:
    return [m for m in MAILS if m["to"] == email]


async def _signed_in_contact(web: httpx.AsyncClient) -> str:
    email = _contact()
    await web.post("/portal/signin", data={"email": email})
    r = await web.get(_link_of(_mails_to(email)[-1]))
    assert r.status_code == 303, r.text
    return email


def _csrf(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert found, page
    return found.group(1)


class TestContactSignIn:
    async def test_a_registered_address_gets_a_single_use_link_to_a_session(
        self, web: httpx.AsyncClient
    ) -> None:
        email = _contact()

        asked = await web.post("/portal/signin", data={"email": email.upper()})
        [mail] = _mails_to(email)
        link = _link_of(mail)
        first = await web.get(link)
        again = await web.get(link)

        assert asked.status_code == 200
        assert "sign-in link is on its way" in asked.text
        assert (mail["template"], mail["values"]["minutes"]) == ("sign_in", "15")
        assert link.startswith("/portal/signin/")
        assert (first.status_code, first.headers["location"]) == (303, "/portal")
        cookie = first.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert "path=/" in cookie
        assert "secure" not in cookie  # http: no TLS here
        assert again.status_code == 410
        assert "used up or expired" in again.text

    async def test_an_unknown_address_gets_the_same_page_and_no_mail(
        self, web: httpx.AsyncClient
    ) -> None:
        known, unknown = _contact(), f"nobody{uuid.uuid4().hex[:6]}@acme.example"

        a = await web.post("/portal/signin", data={"email": known})
        b = await web.post("/portal/signin", data={"email": unknown})

        assert (a.status_code, b.status_code) == (200, 200)
        assert a.text.replace(known, "X") == b.text.replace(unknown, "X")
        assert _mails_to(unknown) == []

    async def test_an_expired_link_signs_nobody_in(
        self, web: httpx.AsyncClient, app: FastAPI
    ) -> None:
        email = _contact()
        token = await app.state.one_time_tokens.issue(
            purpose=Purpose.sign_in,
            subject=str(CUSTOMER_A),
            email=email,
            valid_for=timedelta(seconds=-1),
        )

        r = await web.get(f"/portal/signin/{token}")

        assert r.status_code == 410
        assert COOKIE not in r.headers.get("set-cookie", "")

    async def test_the_sixth_request_for_an_address_is_told_to_wait_known_or_not(
        self, app: FastAPI
    ) -> None:
        known, unknown = _contact(), f"nobody{uuid.uuid4().hex[:6]}@acme.example"
        for email in (known, unknown):
            answers = []
            for _ in range(6):  # each from another address: the address's own limit
                async with browser(app) as client:
                    answers.append(await client.post("/portal/signin", data={"email": email}))
            assert [a.status_code for a in answers] == [200] * 5 + [429]
            assert "Wait 15 minutes" in answers[-1].text
        assert len(_mails_to(known)) == 5

    async def test_the_sixth_request_from_one_ip_is_told_to_wait(
        self, web: httpx.AsyncClient
    ) -> None:
        emails = [_contact() for _ in range(6)]

        answers = [await web.post("/portal/signin", data={"email": e}) for e in emails]

        assert [a.status_code for a in answers] == [200] * 5 + [429]
        assert _mails_to(emails[-1]) == []

    async def test_a_malformed_address_is_explained(self, web: httpx.AsyncClient) -> None:
        r = await web.post("/portal/signin", data={"email": "not an address"})

        assert r.status_code == 422
        assert "name@company.example" in r.text


class TestCookieAuth:
    async def test_the_cookie_acts_as_the_contacts_customer(self, web: httpx.AsyncClient) -> None:
        await _signed_in_contact(web)
        FORWARDED.clear()

        r = await web.get("/api/v1/tickets")

        assert r.status_code == 200
        [sent] = FORWARDED
        assert sent.headers["x-principal-role"] == "customer"
        assert sent.headers["x-principal-customer"] == str(CUSTOMER_A)
        assert "cookie" not in sent.headers  # the session's token stays at the gateway

    async def test_a_change_without_the_csrf_token_is_refused(self, web: httpx.AsyncClient) -> None:
        await _signed_in_contact(web)
        FORWARDED.clear()

        bare = await web.post("/api/v1/tickets", json={"subject": "x"})
        wrong = await web.post("/api/v1/tickets", json={}, headers={"x-csrf-token": "guess"})

        assert (bare.status_code, wrong.status_code) == (403, 403)
        assert bare.headers["content-type"] == "application/problem+json"
        assert "X-CSRF-Token" in bare.json()["detail"]
        assert FORWARDED == []

    async def test_the_sessions_token_lets_a_change_through(
        self, web: httpx.AsyncClient, app: FastAPI
    ) -> None:
        await _signed_in_contact(web)
        token = await _token_of(web, app)
        FORWARDED.clear()

        by_header = await web.post("/api/v1/tickets", json={}, headers={"x-csrf-token": token})
        by_form = await web.post("/api/v1/tickets", data={"csrf_token": token, "subject": "x"})

        assert (by_header.status_code, by_form.status_code) == (200, 200)
        assert len(FORWARDED) == 2
        assert b"subject=x" in FORWARDED[1].content  # the form's body still reaches the service

    async def test_a_bearer_key_wins_over_a_cookie_and_needs_no_csrf(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in_contact(web)
        FORWARDED.clear()

        r = await web.post("/api/v1/tickets", json={}, headers=auth())

        assert r.status_code == 200
        assert FORWARDED[0].headers["x-principal-role"] == "admin"

    async def test_sign_out_ends_the_session_on_the_server(
        self, web: httpx.AsyncClient, app: FastAPI
    ) -> None:
        await _signed_in_contact(web)
        old = web.cookies[COOKIE]
        token = await _token_of(web, app)

        out = await web.post("/signout", data={"csrf_token": token})
        web.cookies.set(COOKIE, old)  # a copy of the cookie kept somewhere
        after = await web.get("/api/v1/tickets")

        assert (out.status_code, out.headers["location"]) == (303, "/portal/signin?signed_out=1")
        assert after.status_code == 401
        assert after.json()["type"].endswith("session-ended")

    async def test_the_session_route_tells_the_browser_who_it_is(
        self, web: httpx.AsyncClient
    ) -> None:
        email = await _signed_in_contact(web)

        mine = await web.get("/api/v1/session")
        by_key = await web.get("/api/v1/session", headers=auth())

        assert mine.json()["kind"] == "contact"
        assert (mine.json()["name"], mine.json()["role"]) == (email, "customer")
        assert mine.json()["customer_id"] == str(CUSTOMER_A)
        assert by_key.status_code == 404

    async def test_sign_out_without_the_token_is_refused(self, web: httpx.AsyncClient) -> None:
        await _signed_in_contact(web)

        out = await web.post("/signout", data={})
        still = await web.get("/api/v1/tickets")

        assert out.status_code == 403
        assert "reload the page" in out.text
        assert still.status_code == 200  # another site cannot sign a browser out either

    async def test_a_removed_contacts_session_stops_working(self, web: httpx.AsyncClient) -> None:
        email = await _signed_in_contact(web)
        assert (await web.get("/api/v1/tickets")).status_code == 200

        del CONTACTS[email]

        assert (await web.get("/api/v1/tickets")).status_code == 401


async def _token_of(web: httpx.AsyncClient, app: FastAPI) -> str:
    r = await web.get("/api/v1/session")
    assert r.status_code == 200, r.text
    return str(r.json()["csrf_token"])


def _staff(role: str = "engineer", *, admin: bool = False) -> dict[str, Any]:
    staff_id = str(uuid.uuid4())
    STAFF[staff_id] = {
        "id": staff_id,
        "name": f"Engineer {staff_id[:4]}",
        "email": f"s{staff_id[:8]}@vendor.example",
        "role": role,
        "active": True,
        "admin": admin,
        "language": "en",
        "line": 1,
    }
    return STAFF[staff_id]


async def _invited(web: httpx.AsyncClient, member: dict[str, Any]) -> str:
    r = await web.post(
        "/api/v1/accounts/invitations", json={"staff_id": member["id"]}, headers=auth()
    )
    assert r.status_code == 201, r.text
    return _link_of(_mails_to(member["email"])[-1])


async def _password_set(web: httpx.AsyncClient, member: dict[str, Any], password: str) -> None:
    link = await _invited(web, member)
    r = await web.post(link, data={"password": password, "confirmation": password})
    assert (r.status_code, r.headers.get("location")) == (303, "/desk/signin?set=1"), r.text


class TestStaffSignIn:
    async def test_invitation_password_sign_in_acts_as_the_staff_member(
        self, web: httpx.AsyncClient
    ) -> None:
        member = _staff("engineer")
        link = await _invited(web, member)
        form = await web.get(link)
        short = await web.post(link, data={"password": "short", "confirmation": "short"})
        differ = await web.post(
            link, data={"password": "a-long-password-1", "confirmation": "a-long-password-2"}
        )
        done = await web.post(
            link, data={"password": "a-long-password-1", "confirmation": "a-long-password-1"}
        )
        reused = await web.get(link)
        signed = await web.post(
            "/desk/signin", data={"email": member["email"], "password": "a-long-password-1"}
        )
        FORWARDED.clear()
        acting = await web.get("/api/v1/tickets")

        assert form.status_code == 200
        assert member["email"] in form.text
        assert (short.status_code, differ.status_code) == (422, 422)
        assert "at least 12 characters" in short.text
        assert "differ" in differ.text
        assert done.status_code == 303
        assert reused.status_code == 410
        assert (signed.status_code, signed.headers["location"]) == (303, "/desk")
        assert acting.status_code == 200
        assert FORWARDED[0].headers["x-principal-role"] == "agent"
        assert FORWARDED[0].headers["x-principal-id"] == member["id"]

    @pytest.mark.parametrize(
        ("role", "admin", "expected"),
        [("lead", False, "agent"), ("manager", False, "manager"), ("engineer", True, "admin")],
    )
    async def test_the_role_comes_from_the_staff_record(
        self, web: httpx.AsyncClient, role: str, admin: bool, expected: str
    ) -> None:
        member = _staff(role, admin=admin)
        await _password_set(web, member, "correct horse battery")

        await web.post(
            "/desk/signin", data={"email": member["email"], "password": "correct horse battery"}
        )
        FORWARDED.clear()
        await web.get("/api/v1/tickets")

        assert FORWARDED[0].headers["x-principal-role"] == expected

    async def test_unknown_address_and_wrong_password_get_one_answer(
        self, web: httpx.AsyncClient
    ) -> None:
        member = _staff()
        await _password_set(web, member, "correct horse battery")

        wrong = await web.post(
            "/desk/signin", data={"email": member["email"], "password": "nope nope nope"}
        )
        unknown = await web.post(
            "/desk/signin", data={"email": "who@vendor.example", "password": "nope nope nope"}
        )

        assert (wrong.status_code, unknown.status_code) == (401, 401)
        assert wrong.text.replace(member["email"], "X") == unknown.text.replace(
            "who@vendor.example", "X"
        )
        assert COOKIE not in web.cookies

    async def test_a_deactivated_members_session_stops_working(
        self, web: httpx.AsyncClient
    ) -> None:
        member = _staff()
        await _password_set(web, member, "correct horse battery")
        await web.post(
            "/desk/signin", data={"email": member["email"], "password": "correct horse battery"}
        )
        assert (await web.get("/api/v1/tickets")).status_code == 200

        member["active"] = False

        assert (await web.get("/api/v1/tickets")).status_code == 401

    async def test_the_ops_page_opens_for_a_staff_session_only(
        self, web: httpx.AsyncClient, app: FastAPI
    ) -> None:
        member = _staff()
        await _password_set(web, member, "correct horse battery")
        await web.post(
            "/desk/signin", data={"email": member["email"], "password": "correct horse battery"}
        )

        staff_view = await web.get("/ops")
        async with browser(app) as other:
            await _signed_in_contact(other)
            contact_view = await other.get("/ops")

        assert staff_view.status_code == 200
        assert '<script src="/ops/assets/ops.js"></script>' in staff_view.text
        assert "default-src 'self'" in staff_view.headers["content-security-policy"]
        assert ADMIN not in staff_view.text
        assert contact_view.status_code == 404

    async def test_invitations_are_for_admins_and_known_staff(self, web: httpx.AsyncClient) -> None:
        key, _ = await new_key(web, "manager")

        as_manager = await web.post(
            "/api/v1/accounts/invitations", json={"staff_id": str(uuid.uuid4())}, headers=auth(key)
        )
        unknown = await web.post(
            "/api/v1/accounts/invitations", json={"staff_id": str(uuid.uuid4())}, headers=auth()
        )

        assert as_manager.status_code == 403
        assert unknown.status_code == 404
        assert "POST /api/v1/staff" in unknown.json()["detail"]

    async def test_a_form_from_another_site_is_refused(self, web: httpx.AsyncClient) -> None:
        r = await web.post(
            "/desk/signin",
            data={"email": "a@b.example", "password": "x"},
            headers={"origin": "https://evil.example"},
        )

        assert r.status_code == 403


class TestPageHeaders:
    async def test_pages_carry_a_strict_policy_and_their_language(
        self, web: httpx.AsyncClient, app: FastAPI
    ) -> None:
        en = await web.get("/portal/signin?lang=en")
        remembered = await web.get("/desk/signin")
        async with browser(app) as other:
            by_browser = await other.get(
                "/desk/signin", headers={"accept-language": "de, en;q=0.8"}
            )

        csp = en.headers["content-security-policy"]
        assert "unsafe-inline" not in csp
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert en.headers["x-content-type-options"] == "nosniff"
        assert en.headers["referrer-policy"] == "same-origin"
        assert '<html lang="en">' in en.text
        assert '<main id="main"' in en.text
        assert 'href="#main"' in en.text  # the skip link
        assert '<html lang="en">' in remembered.text
        assert '<html lang="en">' in by_browser.text
        assert "<script>" not in en.text
        assert "style=" not in en.text

    async def test_static_files_are_served_by_name_only(self, web: httpx.AsyncClient) -> None:
        css = await web.get("/static/web/web.css")
        climbing = await web.get("/static/web/..%2Fpages.py")

        assert css.status_code == 200
        assert css.headers["content-type"].startswith("text/css")
        assert climbing.status_code == 404


class TestHousekeeping:
    async def test_a_new_sign_in_clears_sessions_ended_over_a_day_ago(self, app: FastAPI) -> None:
        from sqlalchemy import select

        from gateway.adapters.sessions import SessionStore, web_session
        from gateway.sessions import Kind, Lifetimes
        from shared.auth import Role

        ended = SessionStore(
            app.state.sessions,
            lifetimes=Lifetimes(idle=timedelta(days=-2), absolute=timedelta(days=-2)),
        )
        fields = {"kind": Kind.contact, "role": Role.customer, "customer_id": CUSTOMER_A}
        _, old = await ended.create(subject="old@acme.example", name="old", **fields)
        _, new = await app.state.web_sessions.create(
            subject="new@acme.example", name="new", **fields
        )

        async with app.state.sessions() as session:
            kept = set(
                (await session.execute(select(web_session.c.id).where(
                    web_session.c.id.in_([old.id, new.id])
                ))).scalars()
            )  # fmt: skip

        assert kept == {new.id}


class TestPageDependency:
    """A page handler built like the portal's: ``ContactPage`` and its ``api``."""

    @pytest.fixture(autouse=True)
    def _page_route(self, app: FastAPI) -> None:
        async def ticket_page(ticket_id: uuid.UUID, page: ContactPage) -> dict[str, Any]:
            return dict(await page.api.get_json(f"tickets/{ticket_id}"))

        if not any(getattr(r, "path", "") == "/test-page/{ticket_id}" for r in app.routes):
            app.add_api_route("/test-page/{ticket_id}", ticket_page)

    async def test_no_session_goes_to_sign_in_and_back(self, web: httpx.AsyncClient) -> None:
        r = await web.get(f"/test-page/{uuid.uuid4()}")

        assert r.status_code == 303
        assert r.headers["location"].startswith("/portal/signin?next=/test-page/")

    async def test_the_page_reads_as_the_contact_and_another_customers_is_404(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in_contact(web)

        own = await web.get(f"/test-page/{uuid.uuid4()}")
        foreign = await web.get(f"/test-page/{FOREIGN_TICKET}")

        assert own.json()["customer"] == str(CUSTOMER_A)
        assert foreign.status_code == 404
        assert "not visible to you" in foreign.text
        assert "unsafe-inline" not in foreign.headers["content-security-policy"]

    async def test_a_refusal_the_page_does_not_handle_is_shown_in_words(
        self, web: httpx.AsyncClient
    ) -> None:
        await _signed_in_contact(web)

        r = await web.get(f"/test-page/{REFUSED_TICKET}")

        assert r.status_code == 409
        assert "The ticket is closed; reopen it first." in r.text

    async def test_a_staff_session_is_not_a_contact_page(self, web: httpx.AsyncClient) -> None:
        member = _staff()
        await _password_set(web, member, "correct horse battery")
        await web.post(
            "/desk/signin", data={"email": member["email"], "password": "correct horse battery"}
        )

        assert (await web.get(f"/test-page/{uuid.uuid4()}")).status_code == 404
