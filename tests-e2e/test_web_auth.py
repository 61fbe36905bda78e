"""Browser sign-in on the whole platform: real mail through notification, real staff records.

Contacts sign in by the emailed link, staff by invitation and password; the cookie
then acts through the same /api/v1 routes and access rules as an API key.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.testing.builders import make_customer_contact, make_ticket, unique
from shared.testing.web import (
    PASSWORD,
    SessionClient,
    contact_client,
    invite_staff,
    mails_to,
    set_password,
    staff_client,
    wait_for_link,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


def _browser(stack: RunningStack) -> SessionClient:
    return SessionClient(base_url=stack.gateway_url, timeout=30, headers={"accept-language": "en"})


class TestContactSignIn:
    async def test_the_link_signs_in_once_and_sees_only_its_customers_tickets(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        _, other = await make_customer_contact(api, "standard")
        mine = await make_ticket(api, contact["email"])
        theirs = await make_ticket(api, other["email"])

        async with _browser(stack) as browser:
            seen = len(mails_to(stack.mail_dir, contact["email"]))
            await browser.post("/portal/signin", data={"email": contact["email"]})
            link = await wait_for_link(
                stack.mail_dir, contact["email"], "/portal/signin/", seen=seen
            )
            path = httpx.URL(link).raw_path.decode()
            first = await browser.get(path)
            again = await browser.get(path)
            await browser.load_session()
            listed = await browser.get("/api/v1/tickets")
            own = await browser.get(f"/api/v1/tickets/{mine['id']}")
            foreign = await browser.get(f"/api/v1/tickets/{theirs['id']}")
            events = await browser.get("/api/v1/stream")
            async with browser.stream(
                "GET", "/api/v1/stream", headers={"accept": "text/event-stream"}
            ) as live:
                live_type = live.headers.get("content-type", "")
                live_status = live.status_code

        assert link.startswith(stack.gateway_url)  # PUBLIC_BASE_URL's default
        assert (first.status_code, first.headers["location"]) == (303, "/portal")
        cookie = first.headers["set-cookie"].lower()
        assert "desk_session=" in cookie
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert again.status_code == 410
        assert {t["id"] for t in listed.json()["items"]} >= {mine["id"]}
        assert theirs["id"] not in {t["id"] for t in listed.json()["items"]}
        assert own.status_code == 200
        assert foreign.status_code == 404
        assert events.status_code == 200  # the live stream takes the cookie too
        assert live_status == 200
        assert live_type.startswith("text/event-stream")  # as EventSource asks for it

    async def test_an_unknown_address_gets_the_same_page_and_no_mail(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        nobody = f"{unique('nobody')}@nowhere.example"

        async with _browser(stack) as browser:
            unknown = await browser.post("/portal/signin", data={"email": nobody})
            known = await browser.post("/portal/signin", data={"email": contact["email"]})
        await wait_for_link(stack.mail_dir, contact["email"], "/portal/signin/")
        await asyncio.sleep(1)  # the unknown one was asked first: its mail would be here

        assert (unknown.status_code, known.status_code) == (200, 200)
        assert unknown.text.replace(nobody, "X") == known.text.replace(contact["email"], "X")
        assert mails_to(stack.mail_dir, nobody) == []

    async def test_the_sixth_request_for_an_address_is_told_to_wait(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")

        async with _browser(stack) as browser:
            answers = [
                await browser.post("/portal/signin", data={"email": contact["email"]})
                for _ in range(6)
            ]

        assert [a.status_code for a in answers] == [200] * 5 + [429]
        assert "Wait 15 minutes" in answers[-1].text

    async def test_a_change_without_csrf_is_refused_and_sign_out_ends_the_session(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        async with contact_client(stack.gateway_url, stack.mail_dir, contact["email"]) as browser:
            body = {"contact_email": contact["email"], "subject": "From the browser"}
            token, browser.csrf_token = browser.csrf_token, ""
            refused = await browser.post("/api/v1/tickets", json=body)
            browser.csrf_token = token
            created = await browser.post("/api/v1/tickets", json=body)
            cookie = browser.cookies["desk_session"]
            out = await browser.post("/signout", data={"csrf_token": token})
            browser.cookies.set("desk_session", cookie)
            after = await browser.get("/api/v1/tickets")

        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert created.status_code == 201, created.text
        assert out.status_code == 303
        assert after.status_code == 401


class TestStaffSignIn:
    @pytest.mark.parametrize(
        ("role", "admin", "expected"),
        [("engineer", False, "agent"), ("manager", False, "manager"), ("lead", True, "admin")],
    )
    async def test_invitation_password_sign_in_and_the_role_of_the_record(
        self, stack: RunningStack, api: httpx.AsyncClient, role: str, admin: bool, expected: str
    ) -> None:
        async with staff_client(api, stack.gateway_url, stack.mail_dir, role=role, admin=admin) as (
            client,
            staff,
        ):
            session = await client.load_session()
            queue = await client.get("/api/v1/queue")

        assert (session["kind"], session["role"], session["name"]) == (
            "staff",
            expected,
            staff["name"],
        )
        assert queue.status_code == 200

    async def test_the_invitation_works_once_and_a_wrong_password_is_refused(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        staff = await invite_staff(api)
        async with _browser(stack) as browser:
            link = await wait_for_link(stack.mail_dir, staff["email"], "/desk/invitation/")
            await set_password(browser, stack.mail_dir, staff["email"])
            reused = await browser.get(httpx.URL(link).raw_path.decode())
            wrong = await browser.post(
                "/desk/signin", data={"email": staff["email"], "password": "not the password"}
            )
            right = await browser.post(
                "/desk/signin", data={"email": staff["email"], "password": PASSWORD}
            )

        assert link.startswith(f"{stack.gateway_url}/desk/invitation/")
        assert reused.status_code == 410
        assert wrong.status_code == 401
        assert "email or password is wrong" in wrong.text
        assert (right.status_code, right.headers["location"]) == (303, "/desk")

    async def test_a_deactivated_member_is_signed_out(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with staff_client(api, stack.gateway_url, stack.mail_dir) as (client, staff):
            before = await client.get("/api/v1/queue")
            r = await api.patch(f"/api/v1/staff/{staff['id']}", json={"active": False})
            assert r.status_code == 200, r.text
            after = await _eventually_refused(client)

        assert before.status_code == 200
        assert after == 401


async def _eventually_refused(client: httpx.AsyncClient, timeout: float = 10) -> int:
    """The first status other than 200 within ``timeout`` (access is re-checked each second)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    status = 200
    while status == 200 and loop.time() < deadline:
        status = (await client.get("/api/v1/queue")).status_code
        await asyncio.sleep(0.3)
    return status


class TestPages:
    async def test_sign_in_pages_have_a_strict_policy_and_no_key(self, stack: RunningStack) -> None:
        async with _browser(stack) as browser:
            pages: list[Any] = [await browser.get(p) for p in ("/portal/signin", "/desk/signin")]

        for page in pages:
            assert page.status_code == 200
            csp = page.headers["content-security-policy"]
            assert "unsafe-inline" not in csp
            assert "default-src 'self'" in csp
            assert page.headers["x-content-type-options"] == "nosniff"
            assert stack.admin_key not in page.text


class TestFirstAdmin:
    async def test_make_run_invites_an_admin_who_can_then_sign_in(
        self, stack: RunningStack, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from deskstack.bootstrap import first_admin

        email = f"{unique('root')}@example.com".lower()
        monkeypatch.setenv("DESK_ADMIN_EMAIL", email)

        lines = await asyncio.to_thread(
            first_admin, stack.gateway_url, stack.admin_key, mail_dir=stack.mail_dir
        )
        link = lines[0].split("open ", 1)[1].split()[0]
        async with _browser(stack) as browser:
            path = httpx.URL(link).raw_path.decode()
            r = await browser.post(path, data={"password": PASSWORD, "confirmation": PASSWORD})
            assert r.status_code == 303, r.text
            await browser.post("/desk/signin", data={"email": email, "password": PASSWORD})
            session = await browser.load_session()

        assert link.startswith(f"{stack.gateway_url}/desk/invitation/")
        assert session["role"] == "admin"


class TestInABrowser:
    async def test_a_contact_signs_in_through_the_form_and_the_mailed_link(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        from playwright.async_api import async_playwright

        from shared.testing.web import contact_page

        _, contact = await make_customer_contact(api, "standard")
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            context = await browser.new_context()
            violations: list[str] = []
            page = await contact_page(context, stack.gateway_url, stack.mail_dir, contact["email"])
            page.on("console", lambda m: violations.append(m.text) if "Content" in m.text else None)
            await page.goto(f"{stack.gateway_url}/portal/signin?lang=ru")
            heading = await page.locator("h1").inner_text()
            readable = await page.evaluate("document.cookie")
            cookies = {c["name"]: c for c in await context.cookies()}
            await browser.close()

        assert heading == "Вход на портал клиента"
        session = cookies["desk_session"]
        assert session["httpOnly"] is True
        assert session["sameSite"] == "Lax"
        assert "desk_session" not in readable  # no script can read the session
        assert violations == []  # nothing on the page broke the Content-Security-Policy
