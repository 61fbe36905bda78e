"""A contract's policy may start critical resolution at the phone confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

TODAY = datetime.now(UTC).date()


def d(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


class TestCriticalResolutionStart:
    async def test_a_contract_may_choose_the_confirmation(self, ent) -> None:
        customer = await ent.customer(trained_specialists=1)
        contact = await ent.contact(customer["id"])
        terms = {"tier": "premium", "starts_on": d(-1), "ends_on": d(30)}
        refused = await ent.http.post(
            f"/api/v1/customers/{customer['id']}/contracts",
            json={**terms, "policy": {"critical_resolution_starts": "callback"}},
        )
        await ent.contract(
            customer["id"], **terms, policy={"critical_resolution_starts": "confirmation"}
        )

        got = await ent.entitlement(contact_email=contact["email"])

        assert refused.status_code == 422
        assert got["policy"]["critical_resolution_starts"] == "confirmation"
        assert got["targets"]["critical"] == {"response": "20min", "resolution": "3h"}
