"""The customer portal in a real browser (Debian's chromium driven by Playwright).

A contact's whole life: the sign-in form, the link from the stack's mail catcher,
a new ticket with a file (uploaded to the attachments route, downloaded byte for
byte), the one-open-ticket rule refused in words, an agent's question (the
agent works through the API with an agent key), the answer in the portal that
resumes the ticket, the resolution, the confirmation. A contact of another
customer who opens the ticket's URL gets 404. axe-core finds no serious or
critical violation on any portal page; the ticket page's screenshot is left in
``var/artifacts/portal-ticket.png``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from deskstack.stack import RunningStack
from shared.infra.mailcatcher import read_mail
from shared.testing.axe import assert_accessible
from shared.testing.builders import key_client, make_customer_contact, move, unique
from shared.testing.web import staff_client

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ARTIFACT = Path(__file__).resolve().parents[1] / "var" / "artifacts" / "portal-ticket.png"
LOG = b"2026-12-07 09:00:01 ERROR posting failed: code 42\n"
_LINK = re.compile(r"https?://[^\s\"'<>]+/portal/signin/[A-Za-z0-9_-]+")


@pytest_asyncio.fixture(loop_scope="session")
async def agent(api: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    async with key_client(api, "agent") as client:
        yield client


async def _sign_in_link(stack: RunningStack, email: str, timeout: float = 20) -> str:
    """The sign-in link mailed to ``email`` (the newest), as the contact would click it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(read_mail(stack.mail_dir)):
            if email.lower() in str(message.get("To", "")).lower():
                body = message.get_body(preferencelist=("plain", "html"))
                found = _LINK.search(body.get_content() if body else "")
                if found:
                    return found.group(0)
        await asyncio.sleep(0.2)
    raise AssertionError(f"no sign-in mail for {email} within {timeout} s")


@contextlib.asynccontextmanager
async def contact_tab(browser: Browser, stack: RunningStack, email: str) -> AsyncIterator[Page]:
    """A fresh browser signed in as ``email`` through the real flow: form, mail, link."""
    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    await tab.goto(f"{stack.gateway_url}/portal")  # not signed in: the sign-in page
    await expect(tab).to_have_url(re.compile(r"/portal/signin"))
    await assert_accessible(tab)
    await tab.fill("#email", email)
    await tab.click("main form button[type=submit]")
    await expect(tab.locator("main .notice")).to_be_visible()
    link = await _sign_in_link(stack, email)
    await tab.goto(link.replace(link.split("/portal/")[0], stack.gateway_url))
    await expect(tab).to_have_url(re.compile(r"/portal$"))
    yield tab
    await context.close()
    assert not errors, errors


async def _ticket_status(api: httpx.AsyncClient, ticket_id: str) -> str:
    r = await api.get(f"/api/v1/tickets/{ticket_id}")
    assert r.status_code == 200, r.text
    status: str = r.json()["status"]
    return status


async def _open_ticket(tab: Page, subject: str) -> str:
    """Fill and send the new-ticket form in English; the new ticket's id (from its page)."""
    await tab.goto(tab.url.split("/portal")[0] + "/portal/tickets/new?lang=en")
    await assert_accessible(tab)
    await expect(
        tab.locator("label[for=severity-high] + .hint, #severity-high-hint")
    ).to_contain_text("seriously degrades work")
    await tab.fill("#subject", subject)
    await tab.check("#severity-high")
    await tab.fill("#product", "Ledger")
    await tab.fill("#description", "Posting a document fails with error 42.")
    await tab.set_input_files(
        "#files", files=[{"name": "error.log", "mimeType": "text/plain", "buffer": LOG}]
    )
    await tab.click("#new-ticket button[type=submit]")
    await expect(tab.locator("#notice")).to_be_focused()
    await expect(tab.locator("#notice")).to_contain_text("registered")
    await expect(tab).to_have_url(re.compile(r"/portal/tickets/[0-9a-f-]{36}$"))  # notice forgotten
    ticket_id = tab.url.split("/portal/tickets/")[1]
    # The file went to the new ticket's attachments route; the page links to its bytes.
    link = tab.locator(".attachments a", has_text="error.log")
    href = await link.get_attribute("href")
    assert href is not None
    download = await tab.request.get(tab.url.split("/portal/")[0] + href)
    assert download.status == 200
    assert await download.body() == LOG
    return ticket_id


async def _second_ticket_is_refused_in_words(tab: Page, base: str) -> None:
    """The standard tier allows one open ticket: refused, in Russian words, focused."""
    await tab.goto(f"{base}/portal/tickets/new?lang=ru")
    await tab.fill("#subject", "Second one")
    await tab.click("#new-ticket button[type=submit]")
    refusal = tab.locator("#refusal")
    await expect(refusal).to_contain_text("одно открытое обращение")
    await expect(refusal).to_contain_text("open ticket")  # the API's own detail
    await expect(refusal).to_be_focused()
    await expect(tab.locator("#subject")).to_have_value("Second one")
    await assert_accessible(tab)


async def _agent_asks(agent: httpx.AsyncClient, ticket_id: str, question: str, note: str) -> None:
    """The agent takes the ticket, asks publicly, notes internally, waits for the customer."""
    assert (await move(agent, ticket_id, "take", assignee="e2e-agent")).status_code == 200
    for body, public in ((question, True), (note, False)):
        r = await agent.post(
            f"/api/v1/tickets/{ticket_id}/comments", json={"body": body, "public": public}
        )
        assert r.status_code == 201, r.text
    r = await move(agent, ticket_id, "wait_for_customer", reason="Which version?")
    assert r.status_code == 200, r.text


async def _contact_answers(tab: Page, base: str, ticket_id: str, question: str, note: str) -> None:
    await tab.goto(f"{base}/portal/tickets/{ticket_id}?lang=en")
    await expect(tab.locator("#next-step")).to_have_attribute("data-step", "answer")
    await expect(tab.locator(".comments")).to_contain_text(question)
    await expect(tab.locator(".articles")).to_contain_text("open the accounting period")
    assert note not in await tab.content()
    await tab.fill("#comment-body", "Version 3.2, build 118.")
    await tab.click("#form-comment button[type=submit]")
    await expect(tab.locator("#notice")).to_contain_text("back in work")
    await expect(tab.locator("#status")).to_have_attribute("data-status", "in_progress")


async def _contact_confirms(tab: Page) -> None:
    """On the resolved ticket's page: accessible, photographed, then confirmed."""
    await tab.reload()
    await expect(tab.locator("#next-step")).to_have_attribute("data-step", "confirm")
    await expect(tab.locator("#deadlines .deadline").first).to_be_visible()
    await assert_accessible(tab)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    await tab.screenshot(path=str(ARTIFACT), full_page=True)
    await tab.click("#confirm")
    await expect(tab.locator("#notice")).to_contain_text("ticket is closed")
    await expect(tab.locator("#status")).to_have_attribute("data-status", "closed")


class TestPortal:
    async def test_a_contacts_whole_life(
        self,
        browser: Browser,
        stack: RunningStack,
        api: httpx.AsyncClient,
        agent: httpx.AsyncClient,
    ) -> None:
        base = stack.gateway_url
        _, contact = await make_customer_contact(api, "standard")
        article = {
            "kind": "typical_solution",
            "title": unique("Posting fails: open the accounting period"),
            "body": "Posting fails while the period is closed; open it in Settings.",
        }
        assert (await agent.post("/api/v1/kb/articles", json=article)).status_code == 201
        async with contact_tab(browser, stack, contact["email"]) as tab:
            await assert_accessible(tab)
            ticket_id = await _open_ticket(tab, unique("Posting fails"))
            await expect(tab.locator("#status")).to_have_attribute("data-status", "new")
            await expect(tab.locator("#next-step")).to_have_attribute("data-step", "nothing")
            await assert_accessible(tab)
            await _second_ticket_is_refused_in_words(tab, base)

            question, note = "Which version of Ledger do you run?", unique("internal note")
            await _agent_asks(agent, ticket_id, question, note)
            await _contact_answers(tab, base, ticket_id, question, note)
            assert await _ticket_status(api, ticket_id) == "in_progress"

            assert (await move(agent, ticket_id, "resolve")).status_code == 200
            await _contact_confirms(tab)
            assert await _ticket_status(api, ticket_id) == "closed"

            await tab.goto(f"{base}/portal?lang=en")
            row = tab.locator(f'tr[data-ticket="{ticket_id}"]')
            await expect(row).to_have_attribute("data-status", "closed")
            await expect(row.locator(".step")).to_have_attribute("data-step", "done")
            await assert_accessible(tab)
        assert ARTIFACT.stat().st_size > 10_000

    async def test_another_customers_ticket_is_not_found(
        self, browser: Browser, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact_a = await make_customer_contact(api, "basic")
        _, contact_b = await make_customer_contact(api, "basic")
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": contact_b["email"], "subject": "B's own", "channel": "web"},
        )
        assert r.status_code == 201, r.text
        theirs: dict[str, Any] = r.json()
        async with contact_tab(browser, stack, contact_a["email"]) as tab:
            answer = await tab.goto(f"{stack.gateway_url}/portal/tickets/{theirs['id']}")
            assert answer is not None
            assert answer.status == 404
            assert "B's own" not in await tab.content()
            await assert_accessible(tab)
            # Nor does a move on it get anywhere: 404 before anything is done.
            csrf = await tab.locator('meta[name="csrf-token"]').get_attribute("content")
            posted = await tab.request.post(
                f"{stack.gateway_url}/portal/tickets/{theirs['id']}/comment",
                form={"csrf_token": csrf or "", "body": "not mine"},
            )
            assert posted.status == 404
            r = await api.get(f"/api/v1/tickets/{theirs['id']}/comments")
            assert all(c["body"] != "not mine" for c in r.json())

            # Basic has no critical service: the ticket is accepted, served as medium, and
            # its page says why.
            await tab.goto(f"{stack.gateway_url}/portal/tickets/new?lang=en")
            await tab.fill("#subject", "Everything is down")
            await tab.check("#severity-critical")
            await tab.click("#new-ticket button[type=submit]")
            await expect(tab.locator("#notice")).to_contain_text("registered")
            await expect(tab.locator("main")).to_contain_text(
                "Served as Medium: your support tier does not include higher severities"
            )

    async def test_a_change_requests_estimate_is_approved_in_the_portal(
        self, browser: Browser, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        r = await api.post(
            "/api/v1/tickets",
            json={
                "contact_email": contact["email"],
                "subject": "Private patch for our configuration",
                "type": "change_request",
            },
        )
        assert r.status_code == 201, r.text
        ticket_id = r.json()["id"]
        estimate = {
            "person_hours": "24",
            "work_plan": "1. analyse 2. patch 3. test",
            "cost": "120000",
            "delivery_date": "2027-02-01",
        }
        for name, body in (("estimate", estimate), ("send_proposal", {})):
            r = await api.post(
                f"/api/v1/change-requests/{ticket_id}/steps", json={"step": name, **body}
            )
            assert r.status_code == 200, r.text
        async with contact_tab(browser, stack, contact["email"]) as tab:
            await tab.goto(f"{stack.gateway_url}/portal/tickets/{ticket_id}?lang=en")
            await expect(tab.locator("#next-step")).to_have_attribute("data-step", "approve")
            await expect(tab.locator("#estimate-box")).to_contain_text("120000")
            await expect(tab.locator("#estimate-box")).to_contain_text("1. analyse")
            await assert_accessible(tab)
            # A form posted without the page's CSRF token (another site's) changes nothing.
            forged = await tab.request.post(
                f"{stack.gateway_url}/portal/tickets/{ticket_id}/approve", form={"body": "x"}
            )
            assert forged.status == 403
            r = await api.get(f"/api/v1/change-requests/{ticket_id}")
            assert r.json()["cr_status"] == "proposal_sent"
            await tab.fill("#approve-body", "Go ahead.")
            await tab.click("#form-approve button[type=submit]")
            await expect(tab.locator("#notice")).to_contain_text("estimate is approved")
            await expect(tab.locator("#estimate-box")).to_have_count(0)
        r = await api.get(f"/api/v1/change-requests/{ticket_id}")
        assert r.json()["cr_status"] == "approved"

    async def test_the_portal_is_for_contacts_only(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
            r = await anonymous.get("/portal/tickets/new")
            assert r.status_code == 303
            assert r.headers["location"].startswith("/portal/signin")
        # A staff member's session is not a contact's: the portal has nothing for it.
        async with staff_client(api, stack.gateway_url, stack.mail_dir) as (staff, _):
            for path in ("/portal", "/portal/tickets/new"):
                r = await staff.get(path)
                assert r.status_code == 404, (path, r.text[:200])

    async def test_a_contact_reopens_a_resolution_in_russian(
        self,
        browser: Browser,
        stack: RunningStack,
        api: httpx.AsyncClient,
        agent: httpx.AsyncClient,
    ) -> None:
        _, contact = await make_customer_contact(api, "basic")
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": contact["email"], "subject": "Отчёт не строится"},
        )
        assert r.status_code == 201, r.text
        ticket_id = r.json()["id"]
        assert (await move(agent, ticket_id, "take", assignee="e2e-agent")).status_code == 200
        assert (await move(agent, ticket_id, "resolve")).status_code == 200
        async with contact_tab(browser, stack, contact["email"]) as tab:
            await tab.goto(f"{stack.gateway_url}/portal/tickets/{ticket_id}?lang=ru")
            await expect(tab.locator("#next-step")).to_contain_text("Подтвердить решение")
            await tab.fill("#reopen-body", "Отчёт по-прежнему пустой.")
            await tab.click("#form-reopen button[type=submit]")
            await expect(tab.locator("#notice")).to_contain_text("открыто снова")
            await expect(tab.locator("#status")).to_have_attribute("data-status", "in_progress")
            await assert_accessible(tab)
        r = await api.get(f"/api/v1/tickets/{ticket_id}")
        assert r.json()["status"] == "in_progress"
