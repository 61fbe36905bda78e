"""Contract rules through the use cases, on the in-memory unit of work (no PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from entitlement.commands import ContractCreate, ContractPolicyIn, ContractUpdate, TargetIn
from entitlement.usecases import contracts
from shared.errors import NotFound, Unprocessable
from shared.events.contracts import ContractChanged
from shared.events.vocabulary import Severity, Tier

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, 13:00 in Moscow
TODAY = date(2026, 3, 2)


def signing(tier: str = "premium", *, days: int = 365, **more: object) -> ContractCreate:
    return ContractCreate.model_validate(
        {"tier": tier, "starts_on": TODAY, "ends_on": TODAY + timedelta(days=days), **more}
    )


class TestAddContract:
    async def test_signs_and_announces_the_tier_and_policy_in_force(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)

        read = await contracts.add_contract(customer_id, signing(), uow, now=NOW)

        assert (read.tier, read.status, read.policy_version) == (
            "premium",
            "active",
            "default-2026.1",
        )
        assert uow.committed
        assert uow.changed == {customer_id}
        assert customer_id in uow.customers.locked
        [event] = uow.published
        assert isinstance(event, ContractChanged)
        assert (event.change, event.effective_tier) == ("created", Tier.premium)
        assert event.effective_policy is not None
        assert event.effective_policy_version == "default-2026.1"
        assert event.effective_policy.severity_caps == {Tier.basic: Severity.medium}

    @pytest.mark.parametrize(
        ("tier", "specialists", "more", "slug"),
        [
            ("extended", 0, {}, "no-trained-specialist"),
            ("standard", 1, {}, "tier-needs-no-contract"),
            ("basic", 1, {}, "tier-needs-no-contract"),
            ("platinum", 1, {}, "unknown-tier"),
            ("extended", 1, {"dedicated_engineer": "I. Petrov"}, "feature-not-in-tier"),
            ("standard", 1, {"dedicated_manager": "A. Ivanova"}, "tier-needs-no-contract"),
        ],
    )
    async def test_refuses_what_the_rules_forbid_and_writes_nothing(
        self, uow, tier: str, specialists: int, more: dict[str, object], slug: str
    ) -> None:
        customer_id = await uow.customer(trained_specialists=specialists)

        with pytest.raises(Unprocessable) as refused:
            await contracts.add_contract(customer_id, signing(tier, **more), uow, now=NOW)

        assert refused.value.slug == slug
        assert not uow.committed
        assert uow.contracts.rows == {}
        assert uow.published == []

    async def test_unknown_customer_is_not_found(self, uow) -> None:
        with pytest.raises(NotFound):
            await contracts.add_contract(uuid4(), signing(), uow, now=NOW)

    async def test_own_policy_is_stored_under_the_contracts_version(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        terms = ContractPolicyIn(
            targets={"critical": TargetIn(response="15min", resolution="2h")},
            warning_percents=[80, 60],
        )

        read = await contracts.add_contract(
            customer_id, signing("business", policy=terms), uow, now=NOW
        )

        assert read.policy_version == f"contract-{read.id}"
        stored = uow.policies.stored[read.policy_version]
        assert stored.targets[Tier.business][Severity.critical].response == "15min"
        assert stored.targets[Tier.premium][Severity.critical].response == "20min"
        assert stored.warning_percents == [60, 80]
        [event] = uow.published
        assert event.effective_policy_version == read.policy_version

    async def test_an_impossible_own_target_is_an_invalid_policy(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        terms = ContractPolicyIn(targets={"high": TargetIn(response="soon", resolution="4h")})

        with pytest.raises(Unprocessable) as refused:
            await contracts.add_contract(
                customer_id, signing("business", policy=terms), uow, now=NOW
            )

        assert refused.value.slug == "invalid-policy"
        assert uow.policies.stored.keys() == {"default-2026.1"}


class TestUpdateContract:
    async def test_extending_an_ended_contract_announces_its_end_again(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        signed = await contracts.add_contract(
            customer_id, signing("extended", days=1), uow, now=NOW
        )
        later = NOW + timedelta(days=3)
        assert await contracts.announce_expired_contracts(uow, now=later) == 1

        read = await contracts.update_contract(
            customer_id,
            signed.id,
            ContractUpdate(ends_on=TODAY + timedelta(days=30)),
            uow,
            now=later,
        )

        assert read.status == "active"
        assert read.expiry_announced_at is None
        assert [e.change for e in uow.published] == ["created", "expired", "updated"]
        assert uow.published[1].effective_tier == Tier.basic
        assert uow.published[2].effective_tier == Tier.extended

    async def test_a_null_end_is_refused(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        signed = await contracts.add_contract(customer_id, signing(), uow, now=NOW)

        with pytest.raises(Unprocessable, match="ends_on cannot be null"):
            await contracts.update_contract(
                customer_id, signed.id, ContractUpdate(ends_on=None), uow, now=NOW
            )

    async def test_a_dedicated_engineer_needs_a_tier_that_has_one(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        signed = await contracts.add_contract(customer_id, signing("extended"), uow, now=NOW)
        change = ContractUpdate.model_validate({"dedicated_engineer": "I. Petrov"})

        with pytest.raises(Unprocessable) as refused:
            await contracts.update_contract(customer_id, signed.id, change, uow, now=NOW)

        assert refused.value.slug == "feature-not-in-tier"
        assert uow.contracts.rows[signed.id]["dedicated_engineer"] is None

    async def test_a_premium_contract_keeps_its_alert_mapping_and_a_change_replaces_it(
        self, uow
    ) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        signing_with_map = signing("premium").model_copy(
            update={"alert_severity_map": {"P1": "critical"}, "alert_severity_label": "priority"}
        )
        signed = await contracts.add_contract(customer_id, signing_with_map, uow, now=NOW)
        assert uow.contracts.rows[signed.id]["alert_severity_map"] == {"P1": "critical"}

        change = ContractUpdate.model_validate({"alert_severity_map": {"p2": "high"}})
        await contracts.update_contract(customer_id, signed.id, change, uow, now=NOW)

        row = uow.contracts.rows[signed.id]
        assert (row["alert_severity_map"], row["alert_severity_label"]) == (
            {"p2": "high"},
            "priority",
        )


class TestAnnounceStarts:
    async def test_a_contract_signed_ahead_is_announced_once_when_it_starts(self, uow) -> None:
        customer_id = await uow.customer(trained_specialists=1)
        ahead = signing("business").model_copy(
            update={"starts_on": TODAY + timedelta(days=10), "ends_on": TODAY + timedelta(days=40)}
        )
        await contracts.add_contract(customer_id, ahead, uow, now=NOW)
        start = NOW + timedelta(days=11)

        first = await contracts.announce_started_contracts(uow, now=start)
        again = await contracts.announce_started_contracts(uow, now=start)

        assert (first, again) == (1, 0)
        assert [e.change for e in uow.published] == ["created", "started"]
        assert uow.published[0].effective_tier == Tier.basic
        assert uow.published[1].effective_tier == Tier.business
