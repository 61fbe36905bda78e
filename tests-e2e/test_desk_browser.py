"""The agents' desk in a real browser (Debian's chromium driven by Playwright).

An agent's life: the invitation mail, a password, the sign-in; the queue shows a
new ticket; its page; take (the key ``t``), wait for the customer with a question,
resume, resolve; a second ticket escalated to line 2. A ticket created through the
API while the queue is open appears without a reload (the live stream). axe-core
finds no serious or critical violation on the queue and the ticket's page; the
queue's screenshot is left in ``var/artifacts/desk-queue.png``. A contact's session
gets the 404 page at ``/desk``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from deskstack.stack import RunningStack
from shared.testing.axe import assert_accessible
from shared.testing.builders import make_customer_contact, make_ticket, unique
from shared.testing.web import contact_client, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ARTIFACT = Path(__file__).resolve().parents[1] / "var" / "artifacts" / "desk-queue.png"


@pytest_asyncio.fixture(loop_scope="session")
async def agent_tab(
    browser: Browser, stack: RunningStack, api: httpx.AsyncClient
) -> AsyncIterator[Page]:
    """A new engineer through the real flow: invitation mail, password, sign-in; on /desk."""
    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    tab, _ = await staff_page(context, api, stack.gateway_url, stack.mail_dir)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    await context.close()
    assert not errors, errors


async def _ready(tab: Page) -> None:
    """The page's script has run: its keys act, and its first focus has been given."""
    await expect(tab.locator("body")).to_have_attribute("data-ready", "true")


async def _ticket(api: httpx.AsyncClient, ticket_id: str) -> dict[str, object]:
    r = await api.get(f"/api/v1/tickets/{ticket_id}")
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


class TestAgentsLife:
    async def test_take_wait_resume_resolve_from_the_queue(
        self, agent_tab: Page, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        tab = agent_tab
        _, contact = await make_customer_contact(api, "premium")
        subject = unique("Posting fails")
        ticket = await make_ticket(api, contact["email"], subject=subject, severity="critical")
        await tab.goto(f"{stack.gateway_url}/desk?lang=en")
        row = tab.locator(f"tr[data-ticket='{ticket['id']}']")
        await expect(row).to_contain_text(subject)
        await assert_accessible(tab)
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        await tab.screenshot(path=str(ARTIFACT), full_page=True)

        await row.locator("a").click()
        await expect(tab).to_have_url(re.compile(rf"/desk/tickets/{ticket['id']}"))
        await expect(tab.locator("#status")).to_have_attribute("data-status", "new")
        await expect(tab.locator("#history tr[data-type='ticket.created']")).to_have_count(1)
        # The page names where the live stream stood before it was read (the queue's page
        # started the stream): it resumes from there, so no move's history row is missed.
        await expect(tab.locator('meta[name="stream-since"]')).to_have_count(1)
        await assert_accessible(tab)

        await _ready(tab)
        await tab.keyboard.press("t")  # take: a one-click move
        await expect(tab.locator("#notice")).to_contain_text("The ticket is yours")
        await expect(tab.locator("#status")).to_have_attribute("data-status", "in_progress")
        await expect(tab.locator("#deadlines")).to_be_visible()

        await _ready(tab)
        await tab.keyboard.press("w")  # wait: focuses the question
        await expect(tab.locator("#wait-body")).to_be_focused()
        await tab.keyboard.type("Which build do you run?")  # typing "t" takes nothing
        await tab.click("#wait")
        await expect(tab.locator("#notice")).to_contain_text("waits for the customer")
        assert (await _ticket(api, ticket["id"]))["status"] == "waiting_customer"

        await tab.click("#resume")
        await expect(tab.locator("#notice")).to_contain_text("resumed")
        await tab.fill("#comment-body", "Checked the logs: the period was closed.")
        await tab.click("#comment")
        await expect(tab.locator("#notice")).to_contain_text("comment is added")
        await expect(tab.locator(".comment[data-public='no']")).to_have_count(1)

        await tab.click("#resolve")
        await expect(tab.locator("#notice")).to_contain_text("resolved")
        await expect(tab.locator("#status")).to_have_attribute("data-status", "resolved")
        assert (await _ticket(api, ticket["id"]))["status"] == "resolved"
        # The history names every move, who made it and when.
        actions = tab.locator("#history tr[data-type='ticket.status_changed']")
        await expect(actions).to_have_count(4, timeout=15_000)
        await assert_accessible(tab)

    async def test_escalate_a_second_ticket_to_line_2(
        self, agent_tab: Page, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        tab = agent_tab
        _, contact = await make_customer_contact(api, "premium")
        ticket = await make_ticket(api, contact["email"], subject=unique("Reports slow"))
        await tab.goto(f"{stack.gateway_url}/desk/tickets/{ticket['id']}?lang=en")
        await tab.select_option("#escalate-line", "2")
        await tab.fill("#escalate-body", "Needs the database team.")
        await tab.click("#escalate")
        await expect(tab.locator("#notice")).to_contain_text("escalated")
        await expect(tab.locator("#line")).to_have_text("2")
        assert (await _ticket(api, ticket["id"]))["support_line"] == 2


class TestLive:
    async def test_a_new_ticket_appears_in_the_open_queue_without_a_reload(
        self, agent_tab: Page, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        tab = agent_tab
        await tab.goto(f"{stack.gateway_url}/desk?lang=en")
        await tab.evaluate("window.__stillThisPage = true")
        _, contact = await make_customer_contact(api, "premium")
        subject = unique("Arrives live")

        ticket = await make_ticket(api, contact["email"], subject=subject, severity="critical")

        await expect(tab.locator(f"tr[data-ticket='{ticket['id']}']")).to_contain_text(
            subject, timeout=20_000
        )
        assert await tab.evaluate("window.__stillThisPage === true")

    async def test_the_shortcut_list_is_on_the_page(
        self, agent_tab: Page, stack: RunningStack
    ) -> None:
        tab = agent_tab
        await tab.goto(f"{stack.gateway_url}/desk?lang=ru")
        await expect(tab.locator("#shortcuts")).to_be_hidden()
        await _ready(tab)
        await tab.keyboard.press("?")
        await expect(tab.locator("#shortcuts")).to_contain_text("следующее обращение")
        await tab.keyboard.press("j")
        await expect(tab.locator(".queue tbody tr.selected")).to_have_count(1)
        await assert_accessible(tab)


class TestWhoMayOpenTheDesk:
    async def test_a_contacts_session_gets_404(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "basic")
        async with contact_client(stack.gateway_url, stack.mail_dir, contact["email"]) as client:
            for path in ("/desk", f"/desk/tickets/{contact['id']}"):
                r = await client.get(path)
                assert r.status_code == 404, (path, r.text[:200])
        async with httpx.AsyncClient(base_url=stack.gateway_url) as anonymous:
            r = await anonymous.get("/desk")
            assert (r.status_code, r.headers["location"]) == (303, "/desk/signin?next=/desk")
