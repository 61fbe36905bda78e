"""A customer's effective tier changing: which open tickets move, and to what (no I/O)."""

from __future__ import annotations

import pytest

from intake.domain.model import Severity
from intake.domain.tiers import TierMove, tier_move


class TestTierMove:
    @pytest.mark.parametrize(
        ("current", "new"),
        [("standard", "premium"), ("basic", "standard"), ("extended", "business")],
    )
    def test_a_tier_going_up_moves_the_ticket(self, current: str, new: str) -> None:
        move = tier_move(current=current, new=new, requested_severity="high")
        assert move is not None
        assert (move.tier, move.severity, move.severity_capped) == (new, Severity.high, False)

    @pytest.mark.parametrize(
        ("current", "new"),
        [("premium", "standard"), ("business", "basic"), ("extended", "extended")],
    )
    def test_a_tier_going_down_or_staying_keeps_the_ticket_terms(
        self, current: str, new: str
    ) -> None:
        assert tier_move(current=current, new=new, requested_severity="critical") is None

    def test_an_unknown_tier_moves_nothing(self) -> None:
        assert tier_move(current="basic", new="platinum", requested_severity="medium") is None

    def test_basic_cap_is_lifted_on_the_way_up(self) -> None:
        assert tier_move(current="basic", new="premium", requested_severity="critical") == (
            TierMove(tier="premium", priority=1, severity=Severity.critical, severity_capped=False)
        )
