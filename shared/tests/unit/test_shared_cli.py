"""The services' uvicorn server ticks once a second while serving and not at all while idle:
it still refreshes ``Date`` and stops;
and as it starts serving it freezes what start-up allocated out of the collector's walks."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from shared import cli
from shared.cli import QuietTickServer, freeze_startup_objects, step_back
from shared.settings import ServiceSettings


async def _app(scope: Any, receive: Any, send: Any) -> None:  # never called: no socket
    raise AssertionError("not served")


@pytest.fixture
def frozen_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the server's freeze instead of freezing the test process's objects."""
    calls: list[str] = []
    monkeypatch.setattr(cli, "freeze_startup_objects", lambda: calls.append("frozen") or 0)
    return calls


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the session's objects go back to the collector


def _counted(server: QuietTickServer) -> list[int]:
    ticks: list[int] = []
    tick = server.on_tick

    async def counted(counter: int) -> bool:
        ticks.append(counter)
        return await tick(counter)

    server.on_tick = counted  # type: ignore[method-assign]
    return ticks


def _server() -> QuietTickServer:
    config = uvicorn.Config(_app, log_config=None)
    config.load()
    return QuietTickServer(config)


@pytest.mark.asyncio
async def test_while_a_connection_is_open_it_ticks_once_a_second_and_still_stops(
    frozen_calls: list[str],
) -> None:
    server = _server()
    ticks = _counted(server)
    server.server_state.connections.add(object())  # a client connected before the loop
    loop = asyncio.create_task(server.main_loop())
    await asyncio.sleep(1.5)
    assert len(ticks) == 2  # at 0 s and 1 s: not the fifteen of a tenth-second tick
    server.should_exit = True
    await asyncio.wait_for(loop, 1.5)  # a shutdown request is seen within a second
    assert all(counter % 10 == 0 for counter in ticks)  # each one refreshes the header
    assert any(name == b"date" for name, _ in server.server_state.default_headers)
    assert frozen_calls == ["frozen"]  # once, as the loop began: not on every tick


@pytest.mark.asyncio
async def test_with_no_connection_it_sleeps_until_one_opens_or_a_signal_comes(
    frozen_calls: list[str],
) -> None:
    server = _server()
    ticks = _counted(server)
    loop = asyncio.create_task(server.main_loop())
    await asyncio.sleep(1.5)
    assert len(ticks) == 1  # the first tick only: nobody to send a Date to
    server.server_state.default_headers = []
    server.server_state.connections.add(object())  # a client connects
    # Its Date is fresh before its first request is read, and the ticks start again.
    assert any(name == b"date" for name, _ in server.server_state.default_headers)
    await asyncio.sleep(0.05)
    assert len(ticks) == 2
    server.server_state.connections.clear()
    await asyncio.sleep(1.2)  # the open connection's one-second tick, then asleep again
    asleep = len(ticks)
    await asyncio.sleep(1.0)
    assert len(ticks) == asleep
    server.handle_exit(signal.SIGTERM, None)  # what the signal handler runs
    await asyncio.wait_for(loop, 0.3)  # at once, not at the next tick


def test_start_up_objects_are_frozen_and_a_later_collection_does_not_walk_them(
    thawed: None,
) -> None:
    class Survivor:
        pass

    kept = Survivor()
    assert freeze_startup_objects() >= 1
    assert gc.get_freeze_count() >= 1
    assert not any(o is kept for o in gc.get_objects(generation=2))  # out of the walks
    later = Survivor()
    gc.collect()
    assert any(o is later for o in gc.get_objects(generation=2))  # new objects are walked


def test_a_service_steps_back_by_its_cpu_nice_and_not_at_all_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps: list[int] = []
    monkeypatch.setattr(cli.os, "nice", lambda step: steps.append(step) or step)
    step_back(ServiceSettings())
    assert steps == []  # the request path keeps its priority
    step_back(ServiceSettings(cpu_nice=10))
    assert steps == [10]
    with pytest.raises(ValueError, match="less than or equal to 19"):
        ServiceSettings(cpu_nice=20)  # beyond what nice means
