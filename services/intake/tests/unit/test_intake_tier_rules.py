"""A customer's effective tier changing: which open tickets move, and to what (no I/O)."""

from __future__ import annotations

import pytest

from intake.domain.tiers import TierMove, tier_move
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, Tier

PRIORITY = {Tier.premium: 1, Tier.business: 2, Tier.extended: 3, Tier.standard: 4, Tier.basic: 5}
POLICY = PolicyDocument(
    version="t", schedules={}, targets={}, severity_caps={Tier.basic: Severity.medium}
)


def move(current: Tier, new: Tier, asked: Severity) -> TierMove | None:
    return tier_move(
        current_priority=PRIORITY[current],
        new=new,
        new_priority=PRIORITY[new],
        requested_severity=asked,
        policy=POLICY,
    )


class TestTierMove:
    @pytest.mark.parametrize(
        ("current", "new"),
        [
            (Tier.standard, Tier.premium),
            (Tier.basic, Tier.standard),
            (Tier.extended, Tier.business),
        ],
    )
    def test_a_tier_going_up_moves_the_ticket(self, current: Tier, new: Tier) -> None:
        moved = move(current, new, Severity.high)
        assert moved is not None
        assert (moved.tier, moved.severity, moved.severity_capped) == (new, Severity.high, False)

    @pytest.mark.parametrize(
        ("current", "new"),
        [
            (Tier.premium, Tier.standard),
            (Tier.business, Tier.basic),
            (Tier.extended, Tier.extended),
        ],
    )
    def test_a_tier_going_down_or_staying_keeps_the_ticket_terms(
        self, current: Tier, new: Tier
    ) -> None:
        assert move(current, new, Severity.critical) is None

    def test_basic_cap_is_lifted_on_the_way_up(self) -> None:
        assert move(Tier.basic, Tier.premium, Severity.critical) == TierMove(
            tier=Tier.premium, priority=1, severity=Severity.critical, severity_capped=False
        )

    def test_the_new_policy_caps_what_its_tier_does_not_serve(self) -> None:
        capping = POLICY.model_copy(update={"severity_caps": {Tier.standard: Severity.high}})
        moved = tier_move(
            current_priority=5,
            new=Tier.standard,
            new_priority=4,
            requested_severity=Severity.critical,
            policy=capping,
        )
        assert moved == TierMove(
            tier=Tier.standard, priority=4, severity=Severity.high, severity_capped=True
        )
