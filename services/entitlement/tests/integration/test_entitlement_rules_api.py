"""The entitlement rules through the HTTP API against PostgreSQL (rules, sections 2, 4, 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Tier
from shared.worktime.schedule import Schedule
from shared.worktime.worktime import add_working_time

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

TODAY = datetime.now(UTC).date()

# The programme's section 4 (source Table 3), written out as the rules print it.
PROGRAMME_TARGETS = {
    "premium": {"critical": ("20min", "3h"), "high": ("30min", "4h"), "medium": ("2h", "32h")},
    "business": {"critical": ("30min", "4h"), "high": ("1h", "6h"), "medium": ("2h", "32h")},
    "extended": {"critical": ("30min", "4h"), "high": ("2h", "16h"), "medium": ("4h", "10d")},
    "standard": {"critical": ("2h", "2d"), "high": ("4h", "8d"), "medium": ("8h", "15d")},
    "basic": {"critical": (None, None), "high": (None, None), "medium": ("8h", None)},
}


def d(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def problem_slug(body: dict[str, object]) -> str:
    return str(body["type"]).rsplit("/", 1)[-1]


class TestCatalogue:
    async def test_tiers_list_every_feature_and_the_section_4_targets(self, ent) -> None:
        r = await ent.http.get("/api/v1/tiers")

        assert r.status_code == 200
        tiers = {t["tier"]: t for t in r.json()}
        assert [t["tier"] for t in r.json()] == [
            "premium",
            "business",
            "extended",
            "standard",
            "basic",
        ]
        assert tiers["premium"]["features"]["scheduled_maintenance"] is True
        assert tiers["business"]["features"]["scheduled_maintenance"] is False
        assert tiers["extended"]["features"]["dedicated_manager"] is True
        assert tiers["extended"]["features"]["dedicated_engineer"] is False
        assert tiers["basic"]["features"]["critical_incidents"] is False
        assert all(len(t["features"]) == 14 for t in tiers.values())
        assert tiers["standard"]["max_open_tickets"] == 1
        assert tiers["premium"]["max_open_tickets"] is None
        assert tiers["business"]["schedule"]["kind"] == "24x7"
        assert tiers["extended"]["schedule"]["kind"] == "8x5"
        assert tiers["premium"]["targets"]["critical"] == {"response": "20min", "resolution": "3h"}
        assert tiers["extended"]["targets"]["medium"] == {"response": "4h", "resolution": "10d"}
        assert tiers["basic"]["targets"]["medium"] == {"response": "8h", "resolution": None}
        assert tiers["business"]["customer_obligations"] == [
            "recommended redundancy scheme",
            "prompt full access to incident information",
        ]
        assert tiers["basic"]["customer_obligations"] == []

    async def test_default_policy_is_the_programmes_table(self, ent) -> None:
        """Entitlement owns Table 3, the warnings and the caps; readers get this document."""
        r = await ent.http.get("/api/v1/policies/default-2026.1")

        assert r.status_code == 200
        policy = r.json()
        assert policy["version"] == "default-2026.1"
        assert {
            tier: {sev: (t["response"], t["resolution"]) for sev, t in targets.items()}
            for tier, targets in policy["targets"].items()
        } == PROGRAMME_TARGETS
        assert policy["warning_percents"] == [50, 75, 90]
        assert policy["severity_caps"] == {"basic": "medium"}
        assert {t: s["kind"] for t, s in policy["schedules"].items()} == {
            "premium": "24x7",
            "business": "24x7",
            "extended": "8x5",
            "standard": "8x5",
            "basic": "8x5",
        }


class TestContractRules:
    async def test_contract_tier_needs_a_trained_specialist(self, ent) -> None:
        customer = await ent.customer(trained_specialists=0)
        body = {"tier": "extended", "starts_on": d(0), "ends_on": d(365)}

        refused = await ent.http.post(f"/api/v1/customers/{customer['id']}/contracts", json=body)
        await ent.http.patch(f"/api/v1/customers/{customer['id']}", json={"trained_specialists": 2})
        accepted = await ent.http.post(f"/api/v1/customers/{customer['id']}/contracts", json=body)

        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert problem_slug(refused.json()) == "no-trained-specialist"
        assert "trained" in refused.json()["detail"]
        assert accepted.status_code == 201, accepted.text
        assert accepted.json()["tier"] == "extended"
        assert accepted.json()["status"] == "active"

    @pytest.mark.parametrize(
        ("body", "slug"),
        [
            (
                {"tier": "business", "starts_on": "2026-05-01", "ends_on": "2026-04-30"},
                "contract-dates-inverted",
            ),
            (
                {"tier": "platinum", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
                "unknown-tier",
            ),
            (
                {"tier": "standard", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
                "tier-needs-no-contract",
            ),
            (
                {"tier": "basic", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
                "tier-needs-no-contract",
            ),
            (
                {
                    "tier": "extended",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "dedicated_engineer": "I. Petrov",
                },
                "feature-not-in-tier",
            ),
            (
                {
                    "tier": "business",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "policy": {"targets": {"high": {"response": "soon", "resolution": "4h"}}},
                },
                "invalid-policy",
            ),
            (
                {
                    "tier": "business",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "price": 1,
                },
                "validation-error",
            ),
        ],
    )
    async def test_bad_contracts_are_refused_with_the_rule(self, ent, body, slug) -> None:
        customer = await ent.customer(trained_specialists=1)

        r = await ent.http.post(f"/api/v1/customers/{customer['id']}/contracts", json=body)

        assert r.status_code == 422, r.text
        assert problem_slug(r.json()) == slug
        listed = await ent.http.get(f"/api/v1/customers/{customer['id']}/contracts")
        assert listed.json() == []

    async def test_contract_for_unknown_customer_is_404(self, ent) -> None:
        r = await ent.http.post(
            "/api/v1/customers/01900000-0000-7000-8000-000000000000/contracts",
            json={"tier": "business", "starts_on": d(0), "ends_on": d(1)},
        )
        assert r.status_code == 404
        assert problem_slug(r.json()) == "unknown-customer"


class TestContactLimit:
    async def test_fifth_active_contact_is_refused_until_one_is_deactivated(self, ent) -> None:
        customer = await ent.customer()
        contacts = [await ent.contact(customer["id"]) for _ in range(4)]

        fifth = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contacts",
            json={"name": "Fifth", "email": "fifth-" + customer["id"] + "@example.com"},
        )
        assert fifth.status_code == 409
        assert problem_slug(fifth.json()) == "contact-limit"
        assert fifth.json()["limit"] == 4

        freed = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}/contacts/{contacts[0]['id']}",
            json={"active": False},
        )
        assert freed.status_code == 200
        assert freed.json()["active"] is False
        again = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contacts",
            json={"name": "Fifth", "email": "fifth-" + customer["id"] + "@example.com"},
        )
        assert again.status_code == 201, again.text

        # Reactivating the first would make five: refused by the same rule.
        back = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}/contacts/{contacts[0]['id']}",
            json={"active": True},
        )
        assert back.status_code == 409
        assert problem_slug(back.json()) == "contact-limit"
        # The deactivated contact may no longer open tickets.
        gone = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": contacts[0]["email"]}
        )
        assert gone.status_code == 404
        assert problem_slug(gone.json()) == "unknown-contact"
        active = await ent.http.get(
            f"/api/v1/customers/{customer['id']}/contacts", params={"active": "true"}
        )
        assert len(active.json()) == 4

    async def test_deactivate_endpoint_frees_a_place_and_is_announced(self, ent) -> None:
        customer = await ent.customer()
        contact = await ent.contact(customer["id"])

        r = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contacts/{contact['id']}/deactivate"
        )

        assert r.status_code == 200
        assert r.json()["active"] is False
        changes = [e["change"] for e in await ent.events("contact.changed", customer["id"])]
        assert changes == ["created", "deactivated"]


class TestEffectiveTier:
    async def test_highest_active_contract_wins_and_says_why(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1, warranty_until=d(30))
        contact = await ent.contact(customer["id"])
        await ent.contract(customer["id"], tier="extended", starts_on=d(-10), ends_on=d(300))
        premium = await ent.contract(
            customer["id"],
            tier="premium",
            starts_on=d(-5),
            ends_on=d(100),
            dedicated_manager="M. Sokolova",
            dedicated_engineer="A. Volkov",
        )
        await ent.contract(customer["id"], tier="business", starts_on=d(200), ends_on=d(400))

        now = await ent.entitlement(contact_email=contact["email"].upper())
        later = await ent.entitlement(contact_email=contact["email"], at=f"{d(150)}T12:00:00+03:00")
        much_later = await ent.entitlement(contact_email=contact["email"], at=f"{d(350)}T12:00:00Z")
        after_all = await ent.entitlement(contact_email=contact["email"], at=f"{d(500)}T12:00:00Z")

        assert now["tier"] == "premium"
        assert now["priority"] == 1
        assert now["contract_id"] == premium["id"]
        assert premium["id"] in now["reason"]
        assert "highest of 2" in now["reason"]
        assert now["dedicated_manager"]["name"] == "M. Sokolova"  # old free text, read as a person
        assert now["dedicated_engineer"]["name"] == "A. Volkov"
        assert now["max_open_tickets"] is None
        assert now["features"]["scheduled_maintenance"] is True
        assert now["schedule"]["kind"] == "24x7"
        assert now["targets"]["critical"] == {"response": "20min", "resolution": "3h"}
        assert now["policy_version"] == "default-2026.1"
        assert now["contact_id"] == contact["id"]
        assert later["tier"] == "extended"  # premium ended, business not started
        assert later["dedicated_engineer"] is None
        assert much_later["tier"] == "business"
        assert after_all["tier"] == "basic"  # warranty long over too
        customer_view = await ent.http.get(f"/api/v1/customers/{customer['id']}/entitlement")
        assert customer_view.json()["tier"] == "premium"
        assert customer_view.json()["contact_id"] is None

    async def test_warranty_fallback(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1, warranty_until=d(10))
        contact = await ent.contact(customer["id"])
        await ent.contract(customer["id"], tier="business", starts_on=d(-30), ends_on=d(5))

        during = await ent.entitlement(contact_email=contact["email"])
        after_contract = await ent.entitlement(
            contact_email=contact["email"], at=f"{d(7)}T10:00:00Z"
        )
        after_warranty = await ent.entitlement(
            contact_email=contact["email"], at=f"{d(11)}T10:00:00Z"
        )

        assert during["tier"] == "business"
        assert after_contract["tier"] == "standard"
        assert after_contract["contract_id"] is None
        assert "warranty" in after_contract["reason"]
        assert after_contract["max_open_tickets"] == 1
        assert after_warranty["tier"] == "basic"
        assert after_warranty["features"]["critical_incidents"] is False

    async def test_warranty_change_moves_the_tier(self, ent) -> None:
        customer = await ent.customer()
        contact = await ent.contact(customer["id"], chat_id=f"tg-{customer['id']}")

        before = await ent.entitlement(chat_id=f"tg-{customer['id']}")
        patched = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}", json={"warranty_until": d(365)}
        )
        after = await ent.entitlement(chat_id=f"tg-{customer['id']}")

        assert before["tier"] == "basic"
        assert patched.json()["tier"] == "standard"
        assert after["tier"] == "standard"
        assert after["contact_id"] == contact["id"]
        events = await ent.events("customer.changed", customer["id"])
        assert [(e["change"], e["tier"]) for e in events] == [
            ("created", "basic"),
            ("updated", "standard"),
        ]


class TestContactIsolation:
    async def test_a_contact_of_customer_a_never_resolves_to_customer_b(self, ent) -> None:
        a = await ent.customer(warranty_until=d(100))
        b = await ent.customer()
        email = f"shared-{a['id']}@example.com"
        contact_a = await ent.contact(a["id"], email=email, chat_id=f"chat-{a['id']}")

        taken = await ent.http.post(
            f"/api/v1/customers/{b['id']}/contacts", json={"name": "X", "email": email.upper()}
        )
        chat_taken = await ent.http.post(
            f"/api/v1/customers/{b['id']}/contacts",
            json={"name": "Y", "email": f"y-{b['id']}@example.com", "chat_id": f"chat-{a['id']}"},
        )
        resolved = await ent.entitlement(contact_email=email)

        assert taken.status_code == 409
        assert problem_slug(taken.json()) == "contact-taken"
        assert chat_taken.status_code == 409
        assert resolved["customer_id"] == a["id"]
        assert resolved["contact_id"] == contact_a["id"]
        assert resolved["tier"] == "standard"

        # The person moves to B: only after A lets them go, and then only B is resolved.
        await ent.http.post(f"/api/v1/customers/{a['id']}/contacts/{contact_a['id']}/deactivate")
        contact_b = await ent.contact(b["id"], email=email)
        moved = await ent.entitlement(contact_email=email)
        by_old_chat = await ent.http.get(
            "/api/v1/entitlements", params={"chat_id": f"chat-{a['id']}"}
        )

        assert moved["customer_id"] == b["id"]
        assert moved["contact_id"] == contact_b["id"]
        assert moved["tier"] == "basic"
        assert by_old_chat.status_code == 404

    async def test_unknown_contact_is_a_problem_not_a_guess(self, ent) -> None:
        r = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": "nobody@nowhere.example"}
        )
        both = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": "a@b.c", "chat_id": "x"}
        )
        naive = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": "a@b.c", "at": "2026-01-01T10:00:00"}
        )

        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        assert problem_slug(r.json()) == "unknown-contact"
        assert both.status_code == 422
        assert naive.status_code == 422


class TestContractPolicy:
    async def test_contract_policy_gives_other_targets_and_hours(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)
        contact = await ent.contact(customer["id"])
        contract = await ent.contract(
            customer["id"],
            tier="extended",
            starts_on=d(-1),
            ends_on=d(365),
            policy={
                "targets": {"critical": {"response": "15min", "resolution": "2h"}},
                "schedule": {"kind": "8x5", "opens": "08:00", "closes": "20:00"},
            },
        )

        ent_now = await ent.entitlement(contact_email=contact["email"])
        stored = await ent.http.get(f"/api/v1/policies/{ent_now['policy_version']}")

        assert contract["policy_version"] == f"contract-{contract['id']}"
        assert ent_now["policy_version"] == contract["policy_version"]
        assert ent_now["targets"]["critical"] == {"response": "15min", "resolution": "2h"}
        assert ent_now["targets"]["high"] == {"response": "2h", "resolution": "16h"}
        assert ent_now["schedule"]["opens"] == "08:00:00"
        assert ent_now["schedule"]["closes"] == "20:00:00"
        assert stored.status_code == 200
        assert stored.json() == ent_now["policy"]
        # Readers count on it: 15 working minutes from Monday 07:50 Moscow end at 08:15.
        policy = PolicyDocument.model_validate(ent_now["policy"])
        assert policy.version == contract["policy_version"]
        schedule = Schedule.from_dict(policy.schedules[Tier.extended].as_dict())
        received = datetime(2026, 3, 2, 4, 50, tzinfo=UTC)
        due = add_working_time(schedule, received, timedelta(minutes=15))
        assert due == datetime(2026, 3, 2, 5, 15, tzinfo=UTC)
        # Other customers keep the rules' policy.
        other = await ent.customer()
        other_contact = await ent.contact(other["id"])
        assert (await ent.entitlement(contact_email=other_contact["email"]))[
            "policy_version"
        ] == "default-2026.1"

    async def test_contract_policy_may_set_its_own_warnings(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)
        contact = await ent.contact(customer["id"])
        terms = {"tier": "business", "starts_on": d(-1), "ends_on": d(30)}
        refused = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={**terms, "policy": {"warning_percents": [50, 100]}},
        )
        await ent.contract(customer["id"], **terms, policy={"warning_percents": [80, 60]})

        got = await ent.entitlement(contact_email=contact["email"])

        assert refused.status_code == 422
        assert got["policy"]["warning_percents"] == [60, 80]
        assert got["policy"]["severity_caps"] == {"basic": "medium"}
        assert got["targets"]["critical"] == {"response": "30min", "resolution": "4h"}

    async def test_shortened_pre_holiday_days_are_a_contract_option(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)
        contact = await ent.contact(customer["id"])
        await ent.contract(
            customer["id"],
            tier="extended",
            starts_on=d(-1),
            ends_on=d(30),
            shortened_pre_holidays=True,
        )

        got = await ent.entitlement(contact_email=contact["email"])

        assert got["schedule"]["shortened_pre_holidays"] is True
        assert got["policy_version"] == "default-2026.1+short"
        schedule = PolicyDocument.model_validate(got["policy"]).schedules[Tier.extended]
        assert Schedule.from_dict(schedule.as_dict()).shortened_pre_holidays
        assert (await ent.http.get(f"/api/v1/policies/{got['policy_version']}")).json() == got[
            "policy"
        ]


class TestCalendars:
    async def test_customer_calendar_is_versioned_and_followed(self, ent) -> None:
        customer = await ent.customer(warranty_until=d(400))
        contact = await ent.contact(customer["id"])
        before = await ent.entitlement(contact_email=contact["email"])

        put = await ent.http.put(
            f"/api/v1/customers/{customer['id']}/calendar",
            json={
                "timezone": "Asia/Yekaterinburg",
                "opens": "10:00",
                "closes": "19:00",
                "extra_days_off": ["2027-03-10"],
                "extra_working_days": ["2027-03-13"],
            },
        )
        after = await ent.entitlement(contact_email=contact["email"])
        second = await ent.http.put(f"/api/v1/customers/{customer['id']}/calendar", json={})
        latest = await ent.entitlement(contact_email=contact["email"])

        assert put.status_code == 200, put.text
        version = put.json()["version"]
        assert version == f"{customer['id']}.1"
        assert before["calendar_version"] == "default"
        assert after["calendar_version"] == version
        assert after["timezone"] == "Asia/Yekaterinburg"
        schedule = after["policy"]["schedules"]["standard"]
        assert schedule["timezone"] == "Asia/Yekaterinburg"
        assert (schedule["opens"], schedule["closes"]) == ("10:00:00", "19:00:00")
        assert schedule["extra_days_off"] == ["2027-03-10"]
        assert after["policy"]["schedules"]["premium"]["kind"] == "24x7"
        assert after["policy_version"] == f"default-2026.1+cal.{version}"
        PolicyDocument.model_validate(after["policy"])  # the shared reader accepts it
        assert second.json()["version"] == f"{customer['id']}.2"
        assert latest["calendar_version"] == f"{customer['id']}.2"
        assert latest["schedule"]["timezone"] == "Europe/Moscow"

        # A ticket registered under version 1 can still fetch exactly what it got.
        old_calendar = await ent.http.get(f"/api/v1/calendars/{version}")
        old_policy = await ent.http.get(f"/api/v1/policies/{after['policy_version']}")
        assert old_calendar.json()["schedules"]["standard"] == schedule
        assert old_policy.json() == after["policy"]
        current = await ent.http.get(f"/api/v1/customers/{customer['id']}/calendar")
        assert current.json()["version"] == f"{customer['id']}.2"
        events = await ent.events("calendar.changed", customer["id"])
        assert [e["calendar_version"] for e in events] == [version, f"{customer['id']}.2"]
        assert events[0]["previous_version"] == "default"

    async def test_contract_days_follow_the_customer_time_zone(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)
        contract = await ent.contract(
            customer["id"], tier="business", starts_on="2027-01-01", ends_on="2027-06-30"
        )
        await ent.http.put(
            f"/api/v1/customers/{customer['id']}/calendar", json={"timezone": "Asia/Vladivostok"}
        )

        moved = (
            await ent.http.get(f"/api/v1/customers/{customer['id']}/contracts/{contract['id']}")
        ).json()

        assert contract["starts_at"] == "2026-12-31T21:00:00Z"  # Moscow midnight
        assert moved["starts_at"] == "2026-12-31T14:00:00Z"  # Vladivostok midnight

    @pytest.mark.parametrize(
        "body",
        [
            {"timezone": "Mars/Olympus"},
            {"opens": "19:00", "closes": "10:00"},
            {"extra_days_off": ["2027-01-05"], "extra_working_days": ["2027-01-05"]},
            {"weekdays": [0, 1]},
        ],
    )
    async def test_bad_calendars_are_refused(self, ent, body) -> None:
        customer = await ent.customer()
        r = await ent.http.put(f"/api/v1/customers/{customer['id']}/calendar", json=body)
        assert r.status_code == 422, r.text

    async def test_unknown_versions_are_404(self, ent) -> None:
        assert (await ent.http.get("/api/v1/calendars/nope.1")).status_code == 404
        assert (await ent.http.get("/api/v1/policies/contract-nope")).status_code == 404
        assert (await ent.http.get("/api/v1/policies/default-2026.1+weird")).status_code == 404
        default = await ent.http.get("/api/v1/calendars/default")
        assert default.json()["schedules"]["standard"]["kind"] == "8x5"
