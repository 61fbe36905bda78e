"""An SMTP server that keeps every message as a ``.eml`` file: the local stand-in for a mail relay.

``make run`` starts it on 127.0.0.1:1025 (files under ``var/mail/``) when ``SMTP_URL`` is
not set, and the end-to-end tests start one per session on a free port. It speaks real
SMTP (``aiosmtpd``), so notification's client, its time-outs and its error handling are
the ones production uses. Each message is written to a temporary name and renamed, so a
reader never sees half a file.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _SaveToDir:
    """aiosmtpd handler: one RFC 5322 file per message."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._seq = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        with self._lock:
            n = next(self._seq)
        name = f"{time.time_ns()}-{os.getpid()}-{n:06d}.eml"
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(content)
        tmp.replace(self.directory / name)
        return "250 Message accepted for delivery"


class MailCatcher:
    """A running catcher: ``smtp_url`` to send to, ``directory`` to read from."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int = 1025) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.host = host
        self.port = port
        self._controller = Controller(
            _SaveToDir(self.directory), hostname=host, port=port, ready_timeout=10
        )

    @property
    def smtp_url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> MailCatcher:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def read_mail(directory: Path) -> list[EmailMessage]:
    """Every message caught so far, oldest first."""
    out: list[EmailMessage] = []
    for path in sorted(Path(directory).glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        out.append(msg)
    return out
