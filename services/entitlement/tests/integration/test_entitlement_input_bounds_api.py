"""Every input of entitlement is bounded: no huge event, no overflowing date or number.

A request over a bound is a 422 problem+json naming the field and the bound, never a 500
and never an event the broker would refuse (which would stall the outbox relay).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


def problem_slug(body: dict[str, Any]) -> str:
    return str(body["type"]).rsplit("/", 1)[-1]


def refused_fields(r: Any) -> list[str]:
    """Assert ``r`` is a 422 validation problem and return the fields it names."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert problem_slug(body) == "validation-error", body
    assert "Fix these fields" in body["detail"]
    return [e["field"] for e in body["errors"]]


async def events_mentioning(ent: Any, token: str) -> int:
    async with ent.engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT count(*) FROM entitlement.outbox WHERE strpos(payload::text, :t) > 0"),
            {"t": token},
        )
    return int(found or 0)


class TestTextBounds:
    async def test_a_3_mb_product_is_refused_and_makes_no_customer_or_event(
        self, ent, new_name
    ) -> None:
        name = new_name("Huge")

        r = await ent.http.post(
            "/api/v1/customers", json={"name": name, "products": ["a" * 3_000_000]}
        )
        listed = await ent.http.get("/api/v1/customers", params={"name": name})

        assert refused_fields(r) == ["body.products.0"]
        assert "at most 200 characters" in r.json()["errors"][0]["message"]
        assert len(r.content) < 2_000, "the problem must not echo the input back"
        assert listed.json()["total"] == 0
        assert await events_mentioning(ent, name) == 0

    async def test_products_are_bounded_in_length_and_number(self, ent) -> None:
        longest = "p" * 200
        many = [f"product-{i}" for i in range(100)]

        ok = await ent.http.post("/api/v1/customers", json={"name": "x", "products": [longest]})
        ok_many = await ent.http.post("/api/v1/customers", json={"name": "x", "products": many})
        too_long = await ent.http.post(
            "/api/v1/customers", json={"name": "x", "products": ["p" * 201]}
        )
        too_many = await ent.http.post(
            "/api/v1/customers", json={"name": "x", "products": [*many, "one-more"]}
        )
        patched = await ent.http.patch(
            f"/api/v1/customers/{ok.json()['id']}", json={"products": ["q" * 201]}
        )

        assert ok.status_code == 201, ok.text
        assert ok.json()["products"] == [longest]
        assert ok_many.status_code == 201, ok_many.text
        assert len(ok_many.json()["products"]) == 100
        assert refused_fields(too_long) == ["body.products.0"]
        assert refused_fields(too_many) == ["body.products"]
        assert refused_fields(patched) == ["body.products.0"]

    @pytest.mark.parametrize(
        ("path", "body", "field"),
        [
            ("customer", {"name": "n" * 301}, "body.name"),
            ("customer-patch", {"name": "n" * 301}, "body.name"),
            ("contacts", {"name": "n" * 301, "email": "a@example.com"}, "body.name"),
            ("contacts", {"name": "n", "email": "a" * 300 + "@example.com"}, "body.email"),
            ("contacts", {"name": "n", "email": "a@example.com", "phone": "1" * 51}, "body.phone"),
            (
                "contacts",
                {"name": "n", "email": "a@example.com", "chat_id": "c" * 201},
                "body.chat_id",
            ),
            (
                "contracts",
                {
                    "tier": "premium",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "dedicated_manager": "m" * 301,
                },
                "body.dedicated_manager",
            ),
            (
                "contracts",
                {
                    "tier": "premium",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "policy": {"schedule": {"kind": "24x7", "timezone": "z" * 101}},
                },
                "body.policy.schedule.timezone",
            ),
            (
                "contracts",
                {
                    "tier": "premium",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-12-31",
                    "policy": {"schedule": {"kind": "custom", "weekdays": list(range(7)) * 2}},
                },
                "body.policy.schedule.weekdays",
            ),
            ("calendar", {"timezone": "z" * 101}, "body.timezone"),
            ("calendar", {"country": "c" * 11}, "body.country"),
            ("calendar", {"opens": "09:00:00+03:00"}, "body.opens"),
            ("calendar", {"breaks": [["13:00", "14:00:00+00:00"]]}, "body.breaks.0.1"),
            (
                "releases",
                {"product": "P", "version": "1.0", "kind": "release", "notes": "n" * 20_001},
                "body.notes",
            ),
            (
                "releases",
                {"product": "P" * 201, "version": "1.0", "kind": "release"},
                "body.product",
            ),
        ],
    )
    async def test_every_free_text_field_is_bounded(self, ent, path, body, field) -> None:
        customer = await ent.customer(trained_specialists=1)
        cid = customer["id"]
        method, url = {
            "customer": ("POST", "/api/v1/customers"),
            "customer-patch": ("PATCH", f"/api/v1/customers/{cid}"),
            "contacts": ("POST", f"/api/v1/customers/{cid}/contacts"),
            "contracts": ("POST", f"/api/v1/customers/{cid}/contracts"),
            "calendar": ("PUT", f"/api/v1/customers/{cid}/calendar"),
            "releases": ("POST", "/api/v1/releases"),
        }[path]

        r = await ent.http.request(method, url, json=body)

        assert refused_fields(r) == [field]

    async def test_release_notes_of_20000_characters_are_accepted(self, ent, new_name) -> None:
        r = await ent.http.post(
            "/api/v1/releases",
            json={
                "product": new_name("P"),
                "version": "1.0",
                "kind": "release",
                "notes": "é" * 20_000,
            },
        )

        assert r.status_code == 201, r.text
        assert len(r.json()["notes"]) == 20_000


class TestDateAndNumberBounds:
    @pytest.mark.parametrize(
        ("starts_on", "ends_on", "field"),
        [
            ("2026-01-01", "9999-12-31", "body.ends_on"),
            ("0001-01-01", "2026-12-31", "body.starts_on"),
            ("1899-12-31", "2026-12-31", "body.starts_on"),
            ("2026-01-01", "2201-01-01", "body.ends_on"),
        ],
    )
    async def test_contract_dates_out_of_range_are_refused(
        self, ent, starts_on, ends_on, field
    ) -> None:
        customer = await ent.customer(trained_specialists=1)

        r = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={"tier": "extended", "starts_on": starts_on, "ends_on": ends_on},
        )

        assert refused_fields(r) == [field]
        message = r.json()["errors"][0]["message"]
        assert "1900-01-01" in message
        assert "2200-12-31" in message

    async def test_contract_dates_at_the_bounds_work_and_can_be_read_at_any_instant(
        self, ent
    ) -> None:
        customer = await ent.customer(trained_specialists=1)
        created = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={"tier": "extended", "starts_on": "1900-01-01", "ends_on": "2200-12-31"},
        )
        extended = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}/contracts/{created.json()['id']}",
            json={"ends_on": "9999-12-31"},
        )
        earliest = await ent.http.get(
            f"/api/v1/customers/{customer['id']}/entitlement",
            params={"at": "1900-01-01T12:00:00+03:00"},  # Moscow was +02:30:17 then
        )
        latest = await ent.http.get(
            f"/api/v1/customers/{customer['id']}/entitlement",
            params={"at": "2200-12-31T23:59:59-05:00"},
        )

        assert created.status_code == 201, created.text
        assert refused_fields(extended) == ["body.ends_on"]
        assert earliest.status_code == 200, earliest.text
        assert earliest.json()["tier"] == "extended"
        assert latest.status_code == 200, latest.text
        assert latest.json()["tier"] == "basic"  # 2201-01-01 UTC: the contract has ended

    async def test_warranty_and_calendar_dates_are_bounded(self, ent) -> None:
        customer = await ent.customer()

        warranty = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}", json={"warranty_until": "9999-12-31"}
        )
        new = await ent.http.post(
            "/api/v1/customers", json={"name": "x", "warranty_until": "0001-01-01"}
        )
        calendar = await ent.http.put(
            f"/api/v1/customers/{customer['id']}/calendar",
            json={"extra_days_off": ["2026-05-04", "9999-12-31"]},
        )

        assert refused_fields(warranty) == ["body.warranty_until"]
        assert refused_fields(new) == ["body.warranty_until"]
        assert refused_fields(calendar) == ["body.extra_days_off.1"]

    @pytest.mark.parametrize("at", ["0001-01-01T00:00:00+03:00", "9999-12-31T23:59:59-05:00"])
    async def test_entitlement_at_an_instant_out_of_range_is_refused(self, ent, at) -> None:
        customer = await ent.customer()
        contact = await ent.contact(customer["id"])

        by_customer = await ent.http.get(
            f"/api/v1/customers/{customer['id']}/entitlement", params={"at": at}
        )
        by_contact = await ent.http.get(
            "/api/v1/entitlements", params={"contact_email": contact["email"], "at": at}
        )

        for r in (by_customer, by_contact):
            assert refused_fields(r) == ["query.at"]
            assert "from 1900-01-01" in r.json()["errors"][0]["message"]

    async def test_trained_specialists_are_bounded(self, ent) -> None:
        customer = await ent.customer(trained_specialists=10_000)

        created = await ent.http.post(
            "/api/v1/customers", json={"name": "x", "trained_specialists": 1_000_000_000_000}
        )
        patched = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}", json={"trained_specialists": 10_001}
        )

        assert customer["trained_specialists"] == 10_000
        assert refused_fields(created) == ["body.trained_specialists"]
        assert refused_fields(patched) == ["body.trained_specialists"]

    @pytest.mark.parametrize("path", ["/api/v1/customers", "/api/v1/releases"])
    async def test_offsets_are_bounded(self, ent, path) -> None:
        huge = await ent.http.get(path, params={"offset": "10000000000000000000"})
        over = await ent.http.get(path, params={"offset": str(2**31)})
        largest = await ent.http.get(path, params={"offset": str(2**31 - 1)})

        assert refused_fields(huge) == ["query.offset"]
        assert refused_fields(over) == ["query.offset"]
        assert largest.status_code == 200, largest.text
        items = largest.json()["items"] if path.endswith("customers") else largest.json()
        assert items == []


class TestPolicyTargetBounds:
    @pytest.mark.parametrize(
        ("target", "limit"),
        [
            ("99999999999999999999d", "366d"),
            ("367d", "366d"),
            ("8785h", "8784h"),
            ("527041min", "527040min"),
            ("31622401s", "31622400s"),
        ],
    )
    async def test_a_target_over_a_year_is_refused_with_the_limit(self, ent, target, limit) -> None:
        customer = await ent.customer(trained_specialists=1)

        r = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={
                "tier": "business",
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "policy": {"targets": {"high": {"response": "1h", "resolution": target}}},
            },
        )

        assert r.status_code == 422, r.text
        assert problem_slug(r.json()) == "invalid-policy"
        assert f"at most {limit}" in r.json()["detail"]

    async def test_targets_of_a_year_are_accepted(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)

        r = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={
                "tier": "business",
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "policy": {
                    "targets": {
                        "critical": {"response": "31622400s", "resolution": "366d"},
                        "high": {"response": "527040min", "resolution": "8784h"},
                    }
                },
            },
        )
        policy = await ent.http.get(f"/api/v1/policies/{r.json()['policy_version']}")

        assert r.status_code == 201, r.text
        assert policy.json()["targets"]["business"]["critical"] == {
            "response": "31622400s",
            "resolution": "366d",
        }
        assert policy.json()["targets"]["business"]["high"] == {
            "response": "527040min",
            "resolution": "8784h",
        }
