"""The sign-in rules without I/O: session lifetimes, roles from staff records, CSRF, language."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from gateway.sessions import (
    Kind,
    Lifetimes,
    WebSession,
    csrf_matches,
    idle_expiry,
    plausible_email,
    staff_role,
)
from gateway.web.i18n import choose, register, words
from shared.auth import Role

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _session(**overrides: object) -> WebSession:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "kind": Kind.staff,
        "subject": str(uuid.uuid4()),
        "role": Role.agent,
        "customer_id": None,
        "name": "Anna",
        "csrf_token": "t",
        "created_at": T0,
        "last_seen_at": T0,
        "idle_expires_at": T0 + timedelta(hours=8),
        "expires_at": T0 + timedelta(days=7),
    }
    fields.update(overrides)
    return WebSession(**fields)  # type: ignore[arg-type]


class TestSessionLifetime:
    def test_live_until_idle_or_absolute_expiry_or_revocation(self) -> None:
        session = _session()

        assert session.live(T0 + timedelta(hours=7))
        assert not session.live(T0 + timedelta(hours=8))
        assert not _session(expires_at=T0 + timedelta(hours=1)).live(T0 + timedelta(hours=2))
        assert not _session(revoked_at=T0).live(T0 + timedelta(seconds=1))

    def test_use_moves_the_idle_deadline_but_never_past_the_absolute_one(self) -> None:
        lifetimes = Lifetimes()
        end = T0 + timedelta(days=7)

        assert idle_expiry(T0, lifetimes, end) == T0 + timedelta(hours=8)
        assert idle_expiry(end - timedelta(hours=1), lifetimes, end) == end


class TestPrincipal:
    def test_staff_act_under_their_staff_id_and_contacts_under_the_session(self) -> None:
        staff = _session()
        contact = _session(
            kind=Kind.contact,
            subject="ivan@acme.example",
            role=Role.customer,
            customer_id=uuid.uuid4(),
        )

        assert staff.principal().key_id == uuid.UUID(staff.subject)
        assert contact.principal().key_id == contact.id
        assert contact.principal().customer_id == contact.customer_id


class TestStaffRole:
    @pytest.mark.parametrize(
        ("role", "admin", "expected"),
        [
            ("engineer", False, Role.agent),
            ("lead", False, Role.agent),
            ("manager", False, Role.manager),
            ("engineer", True, Role.admin),
            ("manager", True, Role.admin),
        ],
    )
    def test_the_platform_role_of_a_staff_record(
        self, role: str, admin: bool, expected: Role
    ) -> None:
        assert staff_role(role, admin=admin) == expected


class TestCsrf:
    def test_only_the_sessions_own_token_matches(self) -> None:
        assert csrf_matches("abc", "abc")
        assert not csrf_matches("abc", "abd")
        assert not csrf_matches("abc", None)
        assert not csrf_matches("abc", "")


class TestEmailShape:
    @pytest.mark.parametrize("value", ["a@b.example", "ivan.petrov@acme.co"])
    def test_plausible(self, value: str) -> None:
        assert plausible_email(value)

    @pytest.mark.parametrize("value", ["", "a@b", "@b.example", "a b@c.example", "nobody"])
    def test_not_plausible(self, value: str) -> None:
        assert not plausible_email(value)


class TestLanguage:
    def test_query_then_cookie_then_browser_then_russian(self) -> None:
        assert choose("en", "ru", "ru") == "en"
        assert choose(None, "en", "ru") == "en"
        assert choose("de", None, "de-DE, en;q=0.7, ru;q=0.9") == "ru"
        assert choose(None, None, "fr") == "ru"
        assert choose(None, None, None) == "ru"

    def test_words_need_both_languages(self) -> None:
        with pytest.raises(ValueError, match="both languages"):
            register({"en": {"only_en": "x"}, "ru": {}})
        assert words("en")["sign_in"] == "Sign in"
        assert words("xx")["sign_in"] == "Войти"
