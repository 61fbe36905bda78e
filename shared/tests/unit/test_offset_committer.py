"""The offset committer: only forward, only what was handed over, nothing dropped on failure."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka import TopicPartition

from shared.messaging.offsets import OffsetCommitter

pytestmark = pytest.mark.asyncio

A = TopicPartition("t", 0)
B = TopicPartition("t", 1)


class _Group:
    """Records what a consumer's ``commit`` was asked; fails while ``down``."""

    def __init__(self) -> None:
        self.commits: list[dict[TopicPartition, int]] = []
        self.down = False

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        if self.down:
            raise ConnectionError("coordinator away")
        self.commits.append(dict(offsets))


async def test_offsets_only_move_forward_and_a_flush_takes_the_latest() -> None:
    group = _Group()
    offsets = OffsetCommitter(group, interval=60)
    offsets.handled({A: 5})
    offsets.handled({A: 3, B: 2})  # an older offset never takes a newer one's place
    offsets.handled({A: 7})
    await offsets.flush()
    assert group.commits == [{A: 7, B: 2}]
    await offsets.flush()  # nothing new: no request
    assert group.commits == [{A: 7, B: 2}]


async def test_a_rebalance_commits_only_the_partitions_going_away() -> None:
    group = _Group()
    offsets = OffsetCommitter(group, interval=60)
    offsets.handled({A: 4, B: 9})
    await offsets.flush([B])
    assert group.commits == [{B: 9}]
    offsets.forget([A])  # A moved to another member: its next owner redelivers
    await offsets.flush()
    assert group.commits == [{B: 9}]


async def test_a_failed_commit_keeps_the_offsets_for_the_next_one() -> None:
    group = _Group()
    offsets = OffsetCommitter(group, interval=60)
    offsets.handled({A: 4})
    group.down = True
    with pytest.raises(ConnectionError):
        await offsets.flush()
    offsets.handled({B: 1})
    group.down = False
    await offsets.flush()
    assert group.commits == [{A: 4, B: 1}]


async def test_the_task_commits_at_once_then_at_most_once_per_interval() -> None:
    group = _Group()
    offsets = OffsetCommitter(group, interval=0.3)
    offsets.start()
    try:
        offsets.handled({A: 1})
        await asyncio.sleep(0.05)
        assert group.commits == [{A: 1}]  # the first handled batch goes at once
        for n in range(2, 12):
            offsets.handled({A: n})
            await asyncio.sleep(0.01)
        assert group.commits == [{A: 1}]  # the rest wait for the interval
        await asyncio.sleep(0.4)
        assert group.commits == [{A: 1}, {A: 11}]  # then go together
    finally:
        await offsets.stop()


async def test_stop_commits_what_is_pending_even_while_the_task_sleeps() -> None:
    group: Any = _Group()
    offsets = OffsetCommitter(group, interval=60)
    offsets.start()
    offsets.handled({A: 1})
    await asyncio.sleep(0.05)
    offsets.handled({A: 2, B: 3})
    await offsets.stop()
    assert group.commits == [{A: 1}, {A: 2, B: 3}]
