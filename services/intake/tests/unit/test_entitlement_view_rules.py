"""When admission answers from the entitlement read model, and why it asks entitlement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from intake.adapters.entitlement_signal import ChangeSignal
from intake.domain.entitlement_view import Fallback, Viewed, choose

NOW = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
CUSTOMER = uuid4()
ANSWER = {"customer_id": str(CUSTOMER), "tier": "standard", "priority": 4, "features": {}}


def viewed(**over: object) -> Viewed:
    values: dict[str, object] = {
        "customer_id": CUSTOMER,
        "contact_id": uuid4(),
        "version": 3,
        "answer": ANSWER,
        "valid_until": NOW + timedelta(days=30),
    }
    values.update(over)
    return Viewed(**values)  # type: ignore[arg-type]


class TestChoose:
    def test_a_current_row_answers(self) -> None:
        row = viewed()
        assert choose([row], signalled={CUSTOMER: 3}, signal_live=True, now=NOW) is row

    def test_a_row_without_an_end_answers(self) -> None:
        row = viewed(valid_until=None)
        assert choose([row], signalled={}, signal_live=True, now=NOW) is row

    def test_nothing_seen_asks_entitlement(self) -> None:
        assert choose([], signalled={}, signal_live=True, now=NOW) is Fallback.unknown

    def test_a_signalled_change_not_applied_yet_asks_entitlement(self) -> None:
        found = choose([viewed(version=3)], signalled={CUSTOMER: 4}, signal_live=True, now=NOW)
        assert found is Fallback.behind

    def test_another_customers_signal_does_not_matter(self) -> None:
        row = viewed(version=3)
        assert choose([row], signalled={uuid4(): 9}, signal_live=True, now=NOW) is row

    def test_without_the_signal_nothing_is_trusted(self) -> None:
        found = choose([viewed()], signalled={}, signal_live=False, now=NOW)
        assert found is Fallback.signal_down

    def test_a_contract_boundary_passed_asks_entitlement(self) -> None:
        found = choose([viewed(valid_until=NOW)], signalled={}, signal_live=True, now=NOW)
        assert found is Fallback.expired

    def test_an_event_without_an_answer_asks_entitlement(self) -> None:
        found = choose([viewed(answer=None)], signalled={}, signal_live=True, now=NOW)
        assert found is Fallback.no_answer

    def test_one_address_active_at_two_customers_asks_entitlement(self) -> None:
        # A contact moved: deactivated at one customer and named at another, whose events
        # travel under different keys and may be applied in either order.
        rows = [viewed(), viewed(customer_id=uuid4())]
        assert choose(rows, signalled={}, signal_live=True, now=NOW) is Fallback.ambiguous


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class TestChangeSignal:
    def test_live_only_after_settling_on_a_connection(self) -> None:
        clock = Clock()
        signal = ChangeSignal(settle_seconds=10, monotonic=clock)
        assert not signal.live
        signal.connected()
        clock.t += 9.9
        assert not signal.live
        clock.t += 0.1
        assert signal.live
        signal.lost()
        assert not signal.live

    def test_keeps_the_highest_version_per_customer(self) -> None:
        signal = ChangeSignal(monotonic=Clock())
        signal.heard(f"{CUSTOMER} 5")
        signal.heard(f"{CUSTOMER} 4")  # two replicas' signals may interleave
        assert signal.versions == {CUSTOMER: 5}

    def test_a_signal_without_a_version_settles_again(self) -> None:
        clock = Clock()
        signal = ChangeSignal(settle_seconds=10, monotonic=clock)
        signal.connected()
        clock.t += 20
        signal.heard(str(CUSTOMER))
        assert not signal.live

    def test_an_unreadable_signal_is_ignored(self) -> None:
        signal = ChangeSignal(monotonic=Clock())
        signal.heard("not a customer")
        assert signal.versions == {}

    def test_memory_is_bounded(self) -> None:
        clock = Clock()
        signal = ChangeSignal(settle_seconds=10, max_customers=2, monotonic=clock)
        signal.connected()
        clock.t += 20
        for _ in range(3):
            signal.heard(f"{uuid4()} 1")
        assert len(signal.versions) == 1
        assert not signal.live  # forgotten versions: settle before trusting again
