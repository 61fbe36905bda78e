"""Entitlement's events carry the customer's answer, until when it holds, and its version."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from entitlement.commands import ContractCreate
from entitlement.domain.calendar import local_midnight
from entitlement.usecases import contracts

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
MSK = "Europe/Moscow"


def signing(tier: str, starts_on: date, ends_on: date) -> ContractCreate:
    return ContractCreate.model_validate({"tier": tier, "starts_on": starts_on, "ends_on": ends_on})


class TestEntitlementState:
    async def test_each_change_carries_the_answer_and_a_higher_version(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1, warranty_until=date(2026, 6, 30))
        await contracts.add_contract(
            customer_id, signing("business", TODAY, date(2026, 12, 31)), uow, now=NOW
        )
        await contracts.add_contract(
            customer_id, signing("premium", date(2026, 5, 1), date(2027, 4, 30)), uow, now=NOW
        )

        first, second = uow.published
        assert (first.entitlement_version, second.entitlement_version) == (1, 2)
        for event in (first, second):
            assert event.entitlement is not None
            assert event.entitlement["tier"] == "business"  # premium starts in May
            assert event.entitlement["customer_id"] == str(customer_id)
        # The next instant at which time alone may change the answer.
        assert first.entitlement_until == local_midnight(date(2026, 7, 1), MSK)  # warranty
        assert second.entitlement_until == local_midnight(date(2026, 5, 1), MSK)  # premium

    async def test_the_answer_holds_until_the_contract_ends(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        await contracts.add_contract(
            customer_id, signing("extended", date(2025, 1, 1), TODAY), uow, now=NOW
        )

        [signed] = uow.published
        assert signed.entitlement is not None
        assert signed.entitlement["tier"] == "extended"
        assert signed.entitlement_until == local_midnight(date(2026, 3, 3), MSK)
