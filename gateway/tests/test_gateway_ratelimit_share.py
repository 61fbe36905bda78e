"""Each gateway replica enforces its share of a key's limit, so N replicas admit the limit."""

from __future__ import annotations

from gateway.ratelimit import Limit, RateLimiter, share


class FrozenClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TestReplicaShare:
    def test_one_replica_keeps_the_whole_limit(self) -> None:
        assert share(Limit(per_second=10, burst=60), 1) == Limit(per_second=10, burst=60)

    def test_two_replicas_each_admit_half_and_together_the_limit(self) -> None:
        clock = FrozenClock()
        replicas = [
            RateLimiter({"bot": Limit(per_second=10, burst=60)}, clock=clock, replicas=2)
            for _ in range(2)
        ]

        admitted = sum(replicas[n % 2].take("k", "bot").allowed for n in range(100))
        clock.now = 1.0  # a second later: 10 more tokens between them
        later = sum(replicas[n % 2].take("k", "bot").allowed for n in range(100))

        assert admitted == 60
        assert later == 10
        assert replicas[0].take("k", "bot").limit == 30

    def test_an_odd_burst_rounds_up(self) -> None:
        assert share(Limit(per_second=5, burst=31), 2) == Limit(per_second=2.5, burst=16)
