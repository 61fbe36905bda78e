"""Ports for processes started later: never the same one twice, one slice per xdist worker."""

from __future__ import annotations

import pytest

from shared.infra import net


def test_a_process_never_hands_out_the_same_port_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tiny range: without the record of handed-out ports, repeats would be certain.
    monkeypatch.setattr(net, "_LISTEN_PORTS", (21000, 21039))
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.setattr(net, "_handed_out", set())
    ports = [net.listen_port() for _ in range(30)]
    assert len(set(ports)) == 30
    assert all(21000 <= p <= 21039 for p in ports)


@pytest.mark.parametrize(("worker", "expected"), [("gw0", (20000, 25999)), ("gw1", (26000, 31999))])
def test_each_xdist_worker_draws_from_its_own_slice(
    monkeypatch: pytest.MonkeyPatch, worker: str, expected: tuple[int, int]
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    assert net._worker_slice() == expected
    low, high = expected
    assert low <= net.listen_port() <= high


def test_outside_xdist_the_whole_range_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert net._worker_slice() == net._LISTEN_PORTS
