"""The first admin of the desk under ``make run``: a staff record marked admin, and an invitation.

Staff sign in to /desk and /ops with a password set through an emailed invitation
(docs/web.md), and only an admin may invite. So ``make run`` makes sure a staff
record with ``DESK_ADMIN_EMAIL`` (default ``admin@example.com``) exists and is marked
admin, invites it, and prints the invitation's link when the local mail catcher
caught it (with a real SMTP server, the link is in that mailbox).
"""

from __future__ import annotations

import os
import time
from email.message import EmailMessage
from pathlib import Path

import httpx

from shared.infra.mailcatcher import read_mail

DEFAULT_EMAIL = "admin@example.com"


def _mine(mail_dir: Path, email: str) -> list[EmailMessage]:
    return [m for m in read_mail(mail_dir) if email in str(m.get("To", "")).lower()]


def _link(mail_dir: Path, email: str, *, after: int, timeout: float) -> str | None:
    """The invitation link in the first new message to ``email`` (None if none came in time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in _mine(mail_dir, email)[after:]:
            body = message.get_body(preferencelist=("plain",))
            for word in (body.get_content() if body else "").split():
                if "/desk/invitation/" in word:
                    return word
        time.sleep(0.5)
    return None


def first_admin(gateway: str, admin_key: str, *, mail_dir: Path | None) -> list[str]:
    """Ensure the admin staff record, invite it; the lines to print."""
    email = os.environ.get("DESK_ADMIN_EMAIL", DEFAULT_EMAIL).strip().lower()
    headers = {"Authorization": f"Bearer {admin_key}"}
    with httpx.Client(base_url=gateway, headers=headers, timeout=15) as api:
        staff = api.get("/api/v1/staff").raise_for_status().json()
        found = next((s for s in staff if s["email"].lower() == email), None)
        if found is None:
            body = {"name": "Administrator", "email": email, "line": 1, "role": "manager"}
            found = (
                api.post("/api/v1/staff", json={**body, "admin": True}).raise_for_status().json()
            )
        elif not found.get("admin") or not found.get("active"):
            found = (
                api.patch(f"/api/v1/staff/{found['id']}", json={"admin": True, "active": True})
                .raise_for_status()
                .json()
            )
        seen = len(_mine(mail_dir, email)) if mail_dir else 0
        api.post("/api/v1/accounts/invitations", json={"staff_id": found["id"]}).raise_for_status()
    link = _link(mail_dir, email, after=seen, timeout=20) if mail_dir else None
    where = f"open {link}" if link else f"follow the link mailed to {email}"
    return [
        f"  Desk admin:   {email} — to set the password, {where}",
        "                then sign in at /desk/signin (and /ops); invite others with "
        "POST /api/v1/accounts/invitations.",
    ]
