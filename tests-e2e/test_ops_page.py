"""The ops page in a real headless browser (Debian's chromium driven by Playwright).

A staff member signs in (invitation, password, /desk/signin), watches a ticket created through the API appear within two seconds
and its countdown move, and a tiny-policy ticket turn amber and then red; the
screenshot is left in ``var/artifacts/ops-page.png``.
"""

from __future__ import annotations

import contextlib
import json
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
from shared.testing.builders import (
    make_contact,
    make_customer_contact,
    make_ticket,
    make_tiny_policy_customer,
)
from shared.testing.web import staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ARTIFACT = Path(__file__).resolve().parents[1] / "var" / "artifacts" / "ops-page.png"
_CLOCK = re.compile(r"^\d+:\d\d:\d\d")
RED, AMBER = "rgb(198, 40, 40)", "rgb(199, 119, 0)"


@contextlib.asynccontextmanager
async def signed_in(
    browser: Browser, stack: RunningStack, api: httpx.AsyncClient, **staff: Any
) -> AsyncIterator[Page]:
    """A fresh browser of a new staff member (invited, password set, signed in at /desk/signin),
    on the ops page and following the stream. ``staff``: role, admin (shared.testing.web)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    opened, _ = await staff_page(context, api, stack.gateway_url, stack.mail_dir, **staff)
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    await opened.goto(f"{stack.gateway_url}/ops")
    await expect(opened.locator("#live")).to_have_attribute("data-state", "on", timeout=10_000)
    yield opened
    await context.close()
    assert not errors, errors


@pytest_asyncio.fixture(loop_scope="session")
async def page(
    browser: Browser, stack: RunningStack, api: httpx.AsyncClient
) -> AsyncIterator[Page]:
    async with signed_in(browser, stack, api, role="manager", admin=True) as opened:
        yield opened


# A dotted event type (sla.timer.breached, escalation.raised): for the events, not people.
_EVENT_TYPE = re.compile(r"\b[a-z]+\.[a-z_]+(\.[a-z_]+)*\b")


async def _says_words_not_event_types(page: Page) -> None:
    """The feed and the escalation list say what happened in words, never an event type."""
    for where in ("#feed", "#escalations"):
        text = await page.locator(where).inner_text()
        assert text.strip(), where
        assert not _EVENT_TYPE.search(text), (where, text)


class TestOpsPage:
    async def test_a_new_ticket_appears_within_two_seconds_and_counts_down(
        self, page: Page, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "premium")
        ticket = await make_ticket(api, contact["email"], severity="critical")
        created = time.monotonic()
        row = page.locator(f'#queue tr[data-ticket="{ticket["id"]}"]')
        await row.wait_for(timeout=2_000)
        appeared = time.monotonic() - created
        left = row.locator("td.left")
        await expect(left).to_have_text(_CLOCK, timeout=5_000)
        first = await left.inner_text()
        await expect(left).not_to_have_text(first, timeout=10_000)

        print(f"\nticket on the ops page {appeared * 1000:.0f} ms after its 201")  # noqa: T201
        assert appeared < 2.0
        assert await row.get_attribute("data-state") == "ok"

    async def test_a_tiny_policy_ticket_turns_amber_then_red_and_a_screenshot_is_kept(
        self, page: Page, api: httpx.AsyncClient
    ) -> None:
        customer = await make_tiny_policy_customer(api, response="8s", resolution="40s")
        contact = await make_contact(api, customer["id"])
        ticket = await make_ticket(api, contact["email"], severity="critical")
        row = page.locator(f'#queue tr[data-ticket="{ticket["id"]}"]')
        left = row.locator("td.left")

        await expect(row).to_have_attribute("data-state", "warning", timeout=10_000)
        await expect(left).to_have_css("color", AMBER)
        await expect(row).to_have_attribute("data-state", "breached", timeout=15_000)
        await expect(left).to_have_css("color", RED)
        await expect(
            page.locator("#breaches li", has_text=ticket["registration_number"])
        ).to_be_visible(timeout=10_000)
        breach = page.locator("#feed li[data-type='sla.timer.breached']").first
        await expect(breach).to_be_visible()
        await expect(breach).to_contain_text("deadline passed")
        escalated = page.locator("#escalations li[data-trigger]").first
        await expect(escalated).to_be_visible(timeout=10_000)
        await _says_words_not_event_types(page)
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACT), full_page=True)
        print(f"\nops page screenshot: {ARTIFACT}")  # noqa: T201 (the artefact's path)

        await page.click("button[data-lang=ru]")
        await expect(breach).to_contain_text("истёк")
        await _says_words_not_event_types(page)
        russian = ARTIFACT.with_name("ops-page-ru.png")
        await page.screenshot(path=str(russian), full_page=True)
        print(f"ops page screenshot (ru): {russian}")  # noqa: T201 (the artefact's path)

    async def test_the_report_picture_and_russian(self, page: Page) -> None:
        await expect(page.locator("#report svg rect.met").first).to_be_attached(timeout=10_000)
        await expect(page.locator("#lines span[data-line='1']")).to_be_visible()

        await page.click("button[data-lang=ru]")

        await expect(page.locator("h1")).to_have_text("Служба поддержки · оперативная панель")
        await expect(page.locator("#queue th").first).to_have_text("№")


class TestWhatARoleMaySee:
    async def test_the_page_shows_what_the_api_refuses_and_sign_out_ends_the_session(
        self, browser: Browser, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        async with signed_in(browser, stack, api, role="engineer") as page:
            await expect(page.locator("#report")).to_contain_text("(403)", timeout=10_000)
            await expect(page.locator("#queue-note")).to_have_text("")
            stored = await page.evaluate(
                "[Object.values(sessionStorage), Object.values(localStorage), document.cookie]"
            )
            await page.click("#signout")
            await page.wait_for_url(re.compile(r"/desk/signin\?signed_out=1$"))
            await page.goto(f"{stack.gateway_url}/ops")
            await page.wait_for_url(re.compile(r"/desk/signin\?next=/ops$"))

        assert stack.admin_key not in json.dumps(stored)
        assert "desk_session" not in stored[2]  # HttpOnly: no script can read the cookie
