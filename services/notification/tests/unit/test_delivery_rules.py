"""Backoff, delivery keys, Message-IDs, signatures and the URL guard."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from notification.adapters.senders import SmtpTarget
from notification.config import Settings
from notification.domain.backoff import RetryPolicy
from notification.domain.keys import angle, delivery_key, message_id
from notification.domain.signing import new_secret, signed_headers
from notification.domain.urlguard import (
    UnsafeUrl,
    check_addresses,
    check_shape,
    check_url,
    pinned,
)


class TestBackoff:
    def test_doubles_up_to_the_cap(self) -> None:
        policy = RetryPolicy(max_attempts=10, base_seconds=10, cap_seconds=60, jitter=0)
        assert [policy.delay(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]

    def test_jitter_stays_within_its_band_and_varies(self) -> None:
        policy = RetryPolicy(max_attempts=10, base_seconds=100, cap_seconds=1000, jitter=0.2)
        rng = random.Random(7)
        delays = [policy.delay(1, rng) for _ in range(200)]
        assert all(80 <= d <= 120 for d in delays)
        assert len({round(d, 3) for d in delays}) > 100

    def test_gives_up_after_the_last_attempt(self) -> None:
        policy = RetryPolicy(max_attempts=3, base_seconds=1, cap_seconds=1)
        assert [policy.gives_up_after(n) for n in (1, 2, 3)] == [False, False, True]

    def test_default_webhook_retries_span_more_than_a_day(self) -> None:
        s = Settings()
        policy = RetryPolicy(
            s.webhook_max_attempts, s.webhook_backoff_base_seconds, s.webhook_backoff_cap_seconds
        )
        assert policy.span_seconds() >= 24 * 3600
        assert s.webhook_timeout_seconds <= 10


class TestKeys:
    def test_same_delivery_same_key_and_message_id(self) -> None:
        event = uuid4()
        a = delivery_key(event, "Anna@Example.com", "email", "agent_comment")
        b = delivery_key(event, "anna@example.com ", "email", "agent_comment")
        assert a == b
        assert message_id(a, "desk.example") == message_id(b, "desk.example")

    def test_any_part_changes_the_key(self) -> None:
        event = uuid4()
        base = delivery_key(event, "a@x.io", "email", "resolved")
        assert base != delivery_key(uuid4(), "a@x.io", "email", "resolved")
        assert base != delivery_key(event, "b@x.io", "email", "resolved")
        assert base != delivery_key(event, "a@x.io", "webhook", "resolved")
        assert base != delivery_key(event, "a@x.io", "email", "closed")

    def test_message_id_is_rfc5322_shaped(self) -> None:
        mid = message_id("k", "desk.example")
        assert mid.startswith("<")
        assert mid.endswith("@desk.example>")
        assert angle("abc@mail") == "<abc@mail>"
        assert angle("<abc@mail>") == "<abc@mail>"


class TestSigning:
    def test_standardwebhooks_verifies_our_headers(self) -> None:
        secret = new_secret()
        assert secret.startswith("whsec_")
        body = '{"type":"ticket.created"}'
        headers = signed_headers(secret, msg_id="msg_1", at=datetime.now(UTC), body=body)
        assert Webhook(secret).verify(body, headers) == {"type": "ticket.created"}

    def test_a_changed_body_or_other_secret_fails(self) -> None:
        secret = new_secret()
        headers = signed_headers(secret, msg_id="msg_1", at=datetime.now(UTC), body="{}")
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify('{"x":1}', headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(new_secret()).verify("{}", headers)


class TestUrlGuard:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "::1",
            "fc00::1",
            "0.0.0.0",
            "::ffff:127.0.0.1",
            "100.64.0.1",
        ],
    )
    def test_private_and_loopback_addresses_are_refused(self, address: str) -> None:
        with pytest.raises(UnsafeUrl):
            check_addresses([address], allow_private=False)
        check_addresses([address], allow_private=True)

    def test_public_addresses_pass_and_one_bad_address_spoils_the_lot(self) -> None:
        check_addresses(["93.184.216.34"], allow_private=False)
        with pytest.raises(UnsafeUrl):
            check_addresses(["93.184.216.34", "10.0.0.1"], allow_private=False)

    @pytest.mark.parametrize(
        "url", ["ftp://x.io/h", "http:///path", "https://user:pw@x.io/h", "file:///etc/passwd"]
    )
    def test_bad_shapes_are_refused(self, url: str) -> None:
        with pytest.raises(UnsafeUrl):
            check_shape(url)

    @pytest.mark.asyncio
    async def test_localhost_is_refused_unless_allowed(self) -> None:
        with pytest.raises(UnsafeUrl):
            await check_url("http://localhost:9/hook", allow_private=False)
        assert await check_url("http://localhost:9/hook", allow_private=True) in {
            "127.0.0.1",
            "::1",
        }

    def test_the_request_goes_to_the_checked_address_with_the_original_host(self) -> None:
        assert pinned("https://hooks.example.com/in?x=1", "93.184.216.34") == (
            "https://93.184.216.34/in?x=1",
            "hooks.example.com",
            "hooks.example.com",
        )
        assert pinned("http://hooks.example.com:8443/in", "2001:db8::1") == (
            "http://[2001:db8::1]:8443/in",
            "hooks.example.com:8443",
            "hooks.example.com",
        )


class TestSmtpUrl:
    def test_plain_with_credentials_and_starttls(self) -> None:
        t = SmtpTarget.parse("smtp://bot%40x.io:p%2Fw@mail.x.io:587?starttls=true")
        assert (t.host, t.port, t.username, t.password) == ("mail.x.io", 587, "bot@x.io", "p/w")
        assert t.start_tls is True
        assert t.use_tls is False

    def test_implicit_tls(self) -> None:
        t = SmtpTarget.parse("smtps://mail.x.io")
        assert (t.port, t.use_tls) == (465, True)

    def test_other_schemes_are_refused(self) -> None:
        with pytest.raises(ValueError, match="smtp"):
            SmtpTarget.parse("http://mail.x.io")

    def test_platform_smtp_url_is_taken(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SMTP_URL", "smtp://relay:2525")
        assert Settings().smtp_url == "smtp://relay:2525"
        monkeypatch.setenv("NOTIFICATION_SMTP_URL", "smtp://own:25")
        assert Settings().smtp_url == "smtp://own:25"
