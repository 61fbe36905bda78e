"""Browser sign-in for end-to-end tests, through the real flows (docs/web.md).

A contact signs in the way a person does: the form is posted, the sign-in mail is
read from the stack's mail catcher (one ``.eml`` per message) and its link is
followed. A staff member is created, invited (``POST /api/v1/accounts/invitations``),
sets a password from the invitation mail and signs in with it. Each comes in two
forms: an ``httpx.AsyncClient`` holding the session cookie (and sending the CSRF
token on changes), and a Playwright page of a fresh browser context.

    async with contact_client(stack.gateway_url, stack.mail_dir, email) as client:
        r = await client.get("/api/v1/tickets")          # the contact's customer's only
    async with staff_client(api, stack.gateway_url, stack.mail_dir, role="lead") as (client, staff):
        r = await client.get("/api/v1/queue")             # as an agent (a lead acts as one)
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import httpx

from shared.infra.mailcatcher import read_mail

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page

PASSWORD = "correct horse battery staple"
_LINK = re.compile(r"https?://\S+")


def mails_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    """Every caught message to ``address``, oldest first."""
    wanted = address.lower()
    return [m for m in read_mail(mail_dir) if wanted in str(m.get("To", "")).lower()]


async def wait_for_link(
    mail_dir: Path, address: str, path: str, *, seen: int = 0, timeout: float = 30
) -> str:
    """The link containing ``path`` in the first message to ``address`` after the ``seen``
    ones already there (wait up to ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        for message in mails_to(mail_dir, address)[seen:]:
            part = message.get_body(preferencelist=("plain",))
            text = part.get_content() if part is not None else ""
            for link in _LINK.findall(text):
                if path in link:
                    return str(link)
        if time.monotonic() > deadline:
            raise TimeoutError(f"no mail to {address} with a {path} link in {timeout} s")
        await asyncio.sleep(0.2)


class SessionClient(httpx.AsyncClient):
    """An httpx client with a browser session: the cookie, and the CSRF token on changes."""

    csrf_token: str = ""

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if request.method not in ("GET", "HEAD", "OPTIONS") and self.csrf_token:
            request.headers.setdefault("x-csrf-token", self.csrf_token)
        return await super().send(request, **kwargs)

    async def load_session(self) -> dict[str, Any]:
        """Read the session (``GET /api/v1/session``) and keep its CSRF token."""
        r = await self.get("/api/v1/session")
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        self.csrf_token = body["csrf_token"]
        return body


async def sign_in_contact(client: SessionClient, mail_dir: Path, email: str) -> dict[str, Any]:
    """Sign ``client`` in as the contact ``email`` through the form, the mail and the link."""
    seen = len(mails_to(mail_dir, email))
    asked = await client.post("/portal/signin", data={"email": email})
    assert asked.status_code == 200, asked.text
    link = await wait_for_link(mail_dir, email, "/portal/signin/", seen=seen)
    followed = await client.get(httpx.URL(link).raw_path.decode())
    assert followed.status_code == 303, followed.text
    return await client.load_session()


@contextlib.asynccontextmanager
async def contact_client(base_url: str, mail_dir: Path, email: str) -> AsyncIterator[SessionClient]:
    """A client signed in as the contact ``email`` (a registered, active contact)."""
    async with SessionClient(base_url=base_url, timeout=30) as client:
        await sign_in_contact(client, mail_dir, email)
        yield client


async def invite_staff(
    api: httpx.AsyncClient,
    *,
    role: str = "engineer",
    line: int = 1,
    admin: bool = False,
    language: str = "en",
) -> dict[str, Any]:
    """A new staff record (``api`` holds an admin key) with an invitation mailed to it."""
    body = {
        "name": f"{role.title()} {uuid4().hex[:6]}",
        "email": f"{role}-{uuid4().hex[:8]}@vendor.example",
        "line": line,
        "role": role,
        "language": language,
        "admin": admin,
    }
    r = await api.post("/api/v1/staff", json=body)
    assert r.status_code == 201, r.text
    staff: dict[str, Any] = r.json()
    r = await api.post("/api/v1/accounts/invitations", json={"staff_id": staff["id"]})
    assert r.status_code == 201, r.text
    return staff


async def set_password(
    client: httpx.AsyncClient, mail_dir: Path, email: str, password: str = PASSWORD
) -> None:
    """Follow the invitation mailed to ``email`` and set ``password``."""
    link = await wait_for_link(mail_dir, email, "/desk/invitation/")
    path = httpx.URL(link).raw_path.decode()
    r = await client.post(path, data={"password": password, "confirmation": password})
    assert r.status_code == 303, r.text


@contextlib.asynccontextmanager
async def staff_client(
    api: httpx.AsyncClient,
    base_url: str,
    mail_dir: Path,
    *,
    role: str = "engineer",
    line: int = 1,
    admin: bool = False,
) -> AsyncIterator[tuple[SessionClient, dict[str, Any]]]:
    """A new staff member, invited, with a password, signed in: (client, staff record)."""
    staff = await invite_staff(api, role=role, line=line, admin=admin)
    async with SessionClient(base_url=base_url, timeout=30) as client:
        await set_password(client, mail_dir, staff["email"])
        r = await client.post("/desk/signin", data={"email": staff["email"], "password": PASSWORD})
        assert r.status_code == 303, r.text
        await client.load_session()
        yield client, staff


async def contact_page(context: BrowserContext, base_url: str, mail_dir: Path, email: str) -> Page:
    """A Playwright page signed in as the contact ``email`` through the form and the link."""
    page = await context.new_page()
    seen = len(mails_to(mail_dir, email))
    await page.goto(f"{base_url}/portal/signin")
    await page.fill("#email", email)
    await page.click("form button[type=submit]")
    await page.wait_for_selector("p.notice[role=status]")
    link = await wait_for_link(mail_dir, email, "/portal/signin/", seen=seen)
    await page.goto(link)
    return page


async def staff_page(
    context: BrowserContext,
    api: httpx.AsyncClient,
    base_url: str,
    mail_dir: Path,
    *,
    role: str = "engineer",
    line: int = 1,
    admin: bool = False,
) -> tuple[Page, dict[str, Any]]:
    """A Playwright page of a new staff member: invitation, password, sign-in; lands on /desk."""
    staff = await invite_staff(api, role=role, line=line, admin=admin)
    page = await context.new_page()
    link = await wait_for_link(mail_dir, staff["email"], "/desk/invitation/")
    await page.goto(link)
    await page.fill("#password", PASSWORD)
    await page.fill("#confirmation", PASSWORD)
    await page.click("form button[type=submit]")
    await page.wait_for_url(re.compile(r"/desk/signin"))
    await page.fill("#email", staff["email"])
    await page.fill("#password", PASSWORD)
    await page.click("main form button[type=submit]")
    await page.wait_for_url(re.compile(r"/desk(\?.*)?$"))
    return page, staff
