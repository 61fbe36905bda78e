"""The IMAP poller's rules without a server: settings, and marking only after the commit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from intake.config import ImapSettings, Settings
from intake.imap import take_new
from intake.usecases.mailbox import Accepted


class FakeMailbox:
    """A folder of messages by UID; records what was marked, in order with the stores."""

    def __init__(self, messages: dict[str, bytes], log: list[str]) -> None:
        self.messages = dict(messages)
        self.log = log

    def new_uids(self, limit: int) -> list[str]:
        return sorted(self.messages)[:limit]

    def fetch_raw(self, uid: str) -> bytes | None:
        return self.messages.get(uid)

    def done(self, uid: str) -> None:
        self.log.append(f"mark {uid}")
        del self.messages[uid]


def recording_store(log: list[str], *, fail_on: bytes | None = None) -> Any:
    async def store(raw: bytes) -> Accepted:
        if raw == fail_on:
            raise ConnectionError("database away")
        log.append(f"store {raw.decode()}")
        return Accepted(uuid.uuid4(), duplicate=False, message_id=raw.decode())

    return store


@pytest.mark.asyncio(loop_scope="session")
class TestTakeNew:
    async def test_each_message_is_marked_only_after_it_was_stored(self) -> None:
        log: list[str] = []
        box = FakeMailbox({"1": b"a", "2": b"b", "3": b"c"}, log)

        taken = await take_new(box, recording_store(log), batch=2)  # type: ignore[arg-type]

        assert taken == 3
        assert log == ["store a", "mark 1", "store b", "mark 2", "store c", "mark 3"]

    async def test_a_store_failure_leaves_that_message_and_the_rest_unmarked(self) -> None:
        log: list[str] = []
        box = FakeMailbox({"1": b"a", "2": b"b", "3": b"c"}, log)

        with pytest.raises(ConnectionError):
            await take_new(box, recording_store(log, fail_on=b"b"), batch=10)  # type: ignore[arg-type]

        assert log == ["store a", "mark 1"]
        assert sorted(box.messages) == ["2", "3"]  # fetched again next round


class TestSettings:
    def test_off_without_a_host_and_ports_follow_the_security(self) -> None:
        assert not ImapSettings().enabled
        assert ImapSettings(host="imap.example").server_port == 993
        assert ImapSettings(host="imap.example", security="starttls").server_port == 143
        assert ImapSettings(host="imap.example", port=1143).server_port == 1143

    def test_idle_must_be_reissued_within_29_minutes(self) -> None:
        with pytest.raises(ValidationError, match="idle_seconds"):
            ImapSettings(idle_seconds=30 * 60)

    def test_read_from_the_environment_with_the_password_kept_secret(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("INTAKE_DATABASE__URL", "postgresql://u@h/db")
        monkeypatch.setenv("INTAKE_IMAP__HOST", "imap.example")
        monkeypatch.setenv("INTAKE_IMAP__PASSWORD", "s3cret")
        monkeypatch.setenv("INTAKE_IMAP__PROCESSED_FOLDER", "Done")

        imap = Settings().imap

        assert (imap.host, imap.processed_folder) == ("imap.example", "Done")
        assert "s3cret" not in repr(imap)
        assert imap.password is not None
        assert imap.password.get_secret_value() == "s3cret"
