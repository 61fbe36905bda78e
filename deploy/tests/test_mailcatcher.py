"""The embedded mail catcher `make run` starts when SMTP_URL is not set."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from deskstack.__main__ import start_mail
from deskstack.services import by_name, service_env
from shared.infra.mailcatcher import read_mail


def _send(port: int, subject: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "desk@x.io", "anna@x.io", subject
    msg["Message-ID"] = "<m1@x.io>"
    msg.set_content("plain")
    msg.add_alternative("<p>html</p>", subtype="html")
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(msg)


def test_without_smtp_url_mail_lands_as_eml_files_and_the_folder_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SMTP_URL", raising=False)
    url, catcher = start_mail(tmp_path)
    assert catcher is not None
    try:
        assert url == catcher.smtp_url
        assert str(tmp_path / "mail") in capsys.readouterr().out
        _send(catcher.port, "[TP-2026-000001] hello")
        _send(catcher.port, "second")
        files = sorted((tmp_path / "mail").glob("*.eml"))
        assert len(files) == 2
        [first, second] = read_mail(tmp_path / "mail")
        assert first["Subject"] == "[TP-2026-000001] hello"
        assert first["Message-ID"] == "<m1@x.io>"
        assert first.get_content_type() == "multipart/alternative"
        assert second["Subject"] == "second"
    finally:
        catcher.stop()


def test_with_smtp_url_no_catcher_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_URL", "smtp://relay.example:587?starttls=true")
    url, catcher = start_mail(tmp_path)
    assert (url, catcher) == ("smtp://relay.example:587?starttls=true", None)
    assert not (tmp_path / "mail").exists()


def test_notification_gets_the_smtp_url_and_may_call_local_receivers() -> None:
    env = service_env(
        by_name("notification"),
        database_url="postgresql://x/y",
        bootstrap="127.0.0.1:9092",
        idempotence=False,
        port_map={"notification": 1, "gateway": 2},
        smtp_url="smtp://127.0.0.1:1025",
    )
    assert env["SMTP_URL"] == "smtp://127.0.0.1:1025"
    assert env["NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS"] == "true"
