"""Contract expiry by the durable job, releases, customer lists and events, over HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from entitlement.usecases import contracts
from shared.clock import FrozenClock

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

TODAY = datetime.now(UTC).date()


def d(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


async def eventually(check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true within {timeout} s; last: {result!r}")
        await asyncio.sleep(0.02)


class TestContractExpiry:
    async def test_the_job_announces_an_ended_contract_when_the_clock_passes_its_end(
        self, open_app
    ) -> None:
        clock = FrozenClock(datetime.now(UTC))
        async with open_app(clock=clock, run_expiry_job=True, expiry_poll_seconds=0.01) as ent:
            http = ent.http
            runtime = ent.app.state.runtime
            customer = await ent.customer(trained_specialists=1, warranty_until=d(60))
            contact = await ent.contact(customer["id"])
            contract = await ent.contract(
                customer["id"], tier="business", starts_on=d(-10), ends_on=d(1)
            )
            url = f"/api/v1/customers/{customer['id']}/contracts/{contract['id']}"

            # Passes run while the contract is current: nothing is announced.
            passes = runtime.state.expiry_passes
            await eventually(lambda: asyncio.sleep(0, runtime.state.expiry_passes >= passes + 3))
            assert (await http.get(url)).json()["expiry_announced_at"] is None
            assert (await ent.entitlement(contact_email=contact["email"]))["tier"] == "business"

            clock.advance(timedelta(days=3))

            async def announced() -> dict | None:
                body = (await http.get(url)).json()
                return body if body["expiry_announced_at"] else None

            ended = await eventually(announced)
            assert ended["status"] == "ended"
            events = await ent.events("contract.changed", customer["id"])
            mine = [e for e in events if e["contract_id"] == contract["id"]]
            assert [e["change"] for e in mine] == ["created", "expired"]
            assert mine[1]["tier"] == "business"
            assert mine[1]["effective_tier"] == "standard"  # back to warranty support
            assert (await ent.entitlement(contact_email=contact["email"]))["tier"] == "standard"

            # Several more passes never announce it twice.
            passes = runtime.state.expiry_passes
            await eventually(lambda: asyncio.sleep(0, runtime.state.expiry_passes >= passes + 3))
            again = await ent.events("contract.changed", customer["id"])
            assert [e["change"] for e in again if e["contract_id"] == contract["id"]] == [
                "created",
                "expired",
            ]

            # Extending the contract brings the tier back and re-arms the announcement.
            extended = await http.patch(url, json={"ends_on": d(90)})
            assert extended.status_code == 200, extended.text
            assert extended.json()["status"] == "active"
            assert extended.json()["expiry_announced_at"] is None
            assert (await ent.entitlement(contact_email=contact["email"]))["tier"] == "business"

    async def test_concurrent_passes_announce_each_end_once(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)
        contract = await ent.contract(
            customer["id"], tier="extended", starts_on=d(-3), ends_on=d(2)
        )
        runtime = ent.app.state.runtime
        later = datetime.now(UTC) + timedelta(days=4)

        counts = await asyncio.gather(
            *(
                contracts.announce_expired_contracts(runtime.uow(), now=later, batch=1000)
                for _ in range(4)
            )
        )

        assert sum(counts) >= 1
        events = await ent.events("contract.changed", customer["id"])
        assert [e["change"] for e in events if e["contract_id"] == contract["id"]] == [
            "created",
            "expired",
        ]
        assert events[-1]["effective_tier"] == "basic"


class TestContractStart:
    async def test_a_contract_signed_ahead_is_announced_once_when_it_starts(self, open_app) -> None:
        clock = FrozenClock(datetime.now(UTC))
        async with open_app(clock=clock, run_expiry_job=True, expiry_poll_seconds=0.01) as ent:
            runtime = ent.app.state.runtime
            customer = await ent.customer(trained_specialists=1, warranty_until=d(60))
            ahead = await ent.contract(
                customer["id"], tier="premium", starts_on=d(2), ends_on=d(30)
            )
            current = await ent.contract(
                customer["id"], tier="extended", starts_on=d(-1), ends_on=d(30)
            )

            async def changes() -> list[tuple[str, str, str]]:
                events = await ent.events("contract.changed", customer["id"])
                return [(e["contract_id"], e["change"], e["effective_tier"]) for e in events]

            passes = runtime.state.expiry_passes
            await eventually(lambda: asyncio.sleep(0, runtime.state.expiry_passes >= passes + 3))
            assert await changes() == [
                (ahead["id"], "created", "standard"),  # not started yet
                (current["id"], "created", "extended"),
            ]

            clock.advance(timedelta(days=3))

            async def started() -> list[dict]:
                events = await ent.events("contract.changed", customer["id"])
                return [e for e in events if e["change"] == "started"]

            [event] = await eventually(started)
            assert (event["contract_id"], event["effective_tier"]) == (ahead["id"], "premium")
            assert (
                event["effective_policy"]["targets"]["premium"]["critical"]["response"] == "20min"
            )
            assert event["effective_policy_version"] == event["effective_policy"]["version"]

            passes = runtime.state.expiry_passes
            await eventually(lambda: asyncio.sleep(0, runtime.state.expiry_passes >= passes + 3))
            assert [c for c in await changes() if c[1] == "started"] == [
                (ahead["id"], "started", "premium")
            ]


class TestReleases:
    async def test_release_concerns_customers_with_standard_or_higher_support_for_the_product(
        self, ent, new_name
    ) -> None:
        product = new_name("Product")
        in_warranty = await ent.customer(products=[product], warranty_until=d(100))
        with_contract = await ent.customer(
            products=[product.lower(), "Other"], trained_specialists=1
        )
        await ent.contract(with_contract["id"], tier="business", starts_on=d(-1), ends_on=d(100))
        basic_only = await ent.customer(products=[product])
        other_product = await ent.customer(products=["Something"], warranty_until=d(100))

        r = await ent.http.post(
            "/api/v1/releases",
            json={
                "product": product,
                "version": "5.2.1",
                "kind": "public_patch",
                "notes": "Fixes signing",
            },
        )
        duplicate = await ent.http.post(
            "/api/v1/releases",
            json={"product": product.upper(), "version": "5.2.1", "kind": "public_patch"},
        )
        listed = await ent.http.get("/api/v1/releases", params={"product": product})

        assert r.status_code == 201, r.text
        release = r.json()
        assert set(release["customer_ids"]) == {in_warranty["id"], with_contract["id"]}
        assert basic_only["id"] not in release["customer_ids"]
        assert other_product["id"] not in release["customer_ids"]
        assert duplicate.status_code == 409
        assert [x["id"] for x in listed.json()] == [release["id"]]
        [event] = await ent.events("release.published", release["id"])
        assert set(event["customer_ids"]) == set(release["customer_ids"])
        assert (event["product"], event["version"], event["kind"]) == (
            product,
            "5.2.1",
            "public_patch",
        )

    async def test_bad_release_is_refused(self, ent) -> None:
        r = await ent.http.post(
            "/api/v1/releases", json={"product": "X", "version": "1", "kind": "private_patch"}
        )
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"


class TestCustomers:
    async def test_list_pages_and_filters(self, ent, new_name) -> None:
        token = new_name("Acme")
        product = new_name("prod")
        first = await ent.customer(name=f"{token} one", products=[product])
        second = await ent.customer(name=f"{token} two", warranty_until=d(10))
        third = await ent.customer(name=f"{token} three")

        page1 = (
            await ent.http.get("/api/v1/customers", params={"name": token.lower(), "limit": 2})
        ).json()
        page2 = (
            await ent.http.get("/api/v1/customers", params={"name": token, "limit": 2, "offset": 2})
        ).json()
        standard = (
            await ent.http.get("/api/v1/customers", params={"name": token, "tier": "standard"})
        ).json()
        by_product = (
            await ent.http.get("/api/v1/customers", params={"product": product.upper()})
        ).json()

        assert page1["total"] == 3
        assert [c["id"] for c in page1["items"]] == [first["id"], second["id"]]
        assert page1["next_offset"] == 2
        assert [c["id"] for c in page2["items"]] == [third["id"]]
        assert page2["next_offset"] is None
        assert [c["id"] for c in standard["items"]] == [second["id"]]
        assert [c["id"] for c in by_product["items"]] == [first["id"]]
        bad = await ent.http.get("/api/v1/customers", params={"tier": "gold"})
        assert bad.status_code == 422

    async def test_create_read_patch(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1, products=["Docs", "docs", " Sign "])
        assert customer["products"] == ["Docs", "Sign"]
        assert customer["tier"] == "basic"
        assert customer["calendar_version"] == "default"

        patched = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}", json={"name": "Renamed", "products": ["Docs"]}
        )
        read = await ent.http.get(f"/api/v1/customers/{customer['id']}")
        extra = await ent.http.patch(
            f"/api/v1/customers/{customer['id']}", json={"tier": "premium"}
        )
        null_name = await ent.http.patch(f"/api/v1/customers/{customer['id']}", json={"name": None})
        missing = await ent.http.get("/api/v1/customers/01900000-0000-7000-8000-000000000000")

        assert patched.status_code == 200
        assert read.json()["name"] == "Renamed"
        assert read.json()["products"] == ["Docs"]
        assert read.json()["trained_specialists"] == 1
        assert extra.status_code == 422
        assert null_name.status_code == 422
        assert missing.status_code == 404
        events = await ent.events("customer.changed", customer["id"])
        assert [e["change"] for e in events] == ["created", "updated"]
        assert events[1]["customer"]["name"] == "Renamed"
