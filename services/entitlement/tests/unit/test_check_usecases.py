"""Entitlement checks through the use cases, on the in-memory unit of work (no PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from entitlement.adapters.cache import EntitlementCache
from entitlement.commands import ContractCreate, ContractPolicyIn, TargetIn
from entitlement.usecases import checks, contracts
from shared.errors import NotFound
from shared.events.vocabulary import Severity, Tier

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


async def sign(uow, customer_id, tier: str, *, days: int = 365, **more: object):
    body = {"tier": tier, "starts_on": TODAY, "ends_on": TODAY + timedelta(days=days), **more}
    return await contracts.add_contract(
        customer_id, ContractCreate.model_validate(body), uow, now=NOW
    )


class TestEntitlementForContact:
    async def test_the_highest_active_contract_gives_tier_policy_and_people(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        uow.contact(customer_id, email="anna@example.com")
        await sign(uow, customer_id, "extended")
        premium = await sign(uow, customer_id, "premium", dedicated_manager="A. Ivanova")

        got = await checks.entitlement_for_contact(
            email="Anna@Example.com", chat_id=None, at=NOW, uow=uow
        )

        assert (got.tier, got.priority, got.contract_id) == ("premium", 1, premium.id)
        assert "highest of 2 active contracts" in got.reason
        assert got.targets["critical"] == {"response": "20min", "resolution": "3h"}
        assert got.schedule["kind"] == "24x7"
        assert got.features["scheduled_maintenance"] is True
        assert got.dedicated_manager is not None
        assert got.dedicated_manager.name == "A. Ivanova"
        assert got.policy.warning_percents == [50, 75, 90]

    async def test_warranty_gives_standard_and_its_end_basic_with_the_cap(self, uow) -> None:
        customer_id = await uow.customer(warranty_until=TODAY + timedelta(days=10))
        uow.contact(customer_id, email="boris@example.com", chat_id="tg-boris")

        now = await checks.entitlement_for_contact(email=None, chat_id="tg-boris", at=NOW, uow=uow)
        later = await checks.entitlement_for_contact(
            email=None, chat_id="tg-boris", at=NOW + timedelta(days=30), uow=uow
        )

        assert (now.tier, later.tier) == ("standard", "basic")
        assert later.max_open_tickets == 1
        assert later.features["critical_incidents"] is False
        assert later.targets["critical"] == {"response": None, "resolution": None}
        capped = later.policy.served_severity(Tier(later.tier), Severity.critical)
        assert capped == (Severity.medium, True)

    async def test_a_contract_with_its_own_terms_answers_with_its_policy(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        uow.contact(customer_id, email="vera@example.com")
        terms = ContractPolicyIn(targets={"critical": TargetIn(response="15min", resolution="2h")})
        signed = await sign(uow, customer_id, "business", policy=terms, shortened_pre_holidays=True)

        got = await checks.entitlement_for_contact(
            email="vera@example.com", chat_id=None, at=NOW, uow=uow
        )

        assert got.policy_version == f"contract-{signed.id}+short"
        assert got.targets["critical"] == {"response": "15min", "resolution": "2h"}
        assert got.targets["high"] == {"response": "1h", "resolution": "6h"}

    async def test_someone_who_is_no_active_contact_may_not_open_tickets(self, uow) -> None:
        await uow.customer()

        with pytest.raises(NotFound) as refused:
            await checks.entitlement_for_contact(
                email="nobody@example.com", chat_id=None, at=NOW, uow=uow
            )

        assert refused.value.slug == "unknown-contact"

    async def test_a_cached_answer_is_resolved_again_for_each_instant(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        uow.contact(customer_id, email="gleb@example.com")
        await sign(uow, customer_id, "premium", days=5)
        uow.entitlement_cache = EntitlementCache()
        uow.entitlement_cache.enabled = True

        first = await checks.entitlement_for_contact(
            email="gleb@example.com", chat_id=None, at=NOW, uow=uow
        )
        uow.contacts.rows.clear()  # only the cache can answer now
        after_end = await checks.entitlement_for_contact(
            email="gleb@example.com", chat_id=None, at=NOW + timedelta(days=10), uow=uow
        )

        assert (first.tier, after_end.tier) == ("premium", "basic")
        assert uow.entitlement_cache.hits == 1


class TestEntitlementForCustomer:
    async def test_answers_without_a_contact(self, uow) -> None:
        customer_id = await uow.customer(warranty_until=TODAY)

        got = await checks.entitlement_for_customer(customer_id, at=NOW, uow=uow)

        assert (got.tier, got.contact_id) == ("standard", None)

    async def test_an_unknown_customer_is_not_found(self, uow) -> None:
        with pytest.raises(NotFound) as refused:
            await checks.entitlement_for_customer(uuid4(), at=NOW, uow=uow)

        assert refused.value.slug == "unknown-customer"
