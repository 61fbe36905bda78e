"""One IMAP mailbox through imap-tools (blocking: the poller calls it in a worker thread).

Messages are read with ``BODY.PEEK[]``, so reading never marks them: only :meth:`done`
does, after the caller committed the message. Every socket operation has the settings'
timeout (imaplib keeps the connect timeout on the socket).
"""

from __future__ import annotations

import re
import ssl
import threading
import time
from typing import Any

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.consts import MailMessageFlags

from intake.config import ImapSettings

_UID = re.compile(rb"UID (\d+)")
# How often an IDLE wait looks at the stop flag (a shutdown waits at most this long).
_IDLE_SLICE_SECONDS = 1.0


class ImapMailbox:
    """A logged-in connection to the configured folder."""

    def __init__(self, settings: ImapSettings) -> None:
        self._settings = settings
        self._box: Any = None

    def connect(self) -> None:
        """Connect, log in and select the folder (creating the processed folder if missing)."""
        s = self._settings
        host, port, timeout = s.host or "", s.server_port, s.timeout_seconds
        if s.security == "ssl":
            box: Any = MailBox(
                host, port, timeout=timeout, ssl_context=ssl.create_default_context()
            )
        elif s.security == "starttls":
            box = MailBoxStartTls(
                host, port, timeout=timeout, ssl_context=ssl.create_default_context()
            )
        else:
            box = MailBoxUnencrypted(host, port, timeout=timeout)
        password = s.password.get_secret_value() if s.password else ""
        box.login(s.user, password, initial_folder=s.folder)
        if s.processed_folder and not box.folder.exists(s.processed_folder):
            box.folder.create(s.processed_folder)
            box.folder.set(s.folder)
        self._box = box

    def close(self) -> None:
        """Log out (quietly: the connection may be gone already)."""
        box, self._box = self._box, None
        if box is not None:
            try:
                box.logout()
            except Exception:  # a dead connection has nothing left to close
                box.client.shutdown()

    @property
    def supports_idle(self) -> bool:
        """Whether the server offers IDLE (RFC 2177)."""
        return "IDLE" in self._box.client.capabilities

    def new_uids(self, limit: int) -> list[str]:
        """UIDs not yet taken: every message of the folder when processed mail is moved out,
        else the unseen ones (oldest first)."""
        criteria = "ALL" if self._settings.processed_folder else "UNSEEN"
        uids: list[str] = self._box.uids(criteria)
        return uids[:limit]

    def fetch_raw(self, uid: str) -> bytes | None:
        """The message's bytes exactly as stored (None: it is gone meanwhile)."""
        status, data = self._box.client.uid("FETCH", uid, "(BODY.PEEK[])")
        if status != "OK":
            return None
        for item in data:
            if isinstance(item, tuple) and _UID.search(item[0]):
                raw: bytes = item[1]
                return raw
        return None

    def done(self, uid: str) -> None:
        """Mark the message taken: moved to the processed folder, or flagged \\Seen."""
        if self._settings.processed_folder:
            self._box.move(uid, self._settings.processed_folder)
        else:
            self._box.flag(uid, MailMessageFlags.SEEN, True)

    def wait_for_news(self, timeout: float, stop: threading.Event) -> None:
        """Return when the folder changes (IDLE), ``timeout`` passes, or ``stop`` is set."""
        deadline = time.monotonic() + timeout
        if not self.supports_idle:
            stop.wait(timeout)
            return
        with self._box.idle as idle:
            while not stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0 or idle.poll(timeout=min(_IDLE_SLICE_SECONDS, left)):
                    return
