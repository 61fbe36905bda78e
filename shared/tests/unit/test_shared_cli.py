"""The services' uvicorn server ticks once a second: it still refreshes ``Date`` and stops;
and as it starts serving it freezes what start-up allocated out of the collector's walks."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from shared import cli
from shared.cli import SecondTickServer, freeze_startup_objects, step_back
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


@pytest.mark.asyncio
async def test_it_ticks_once_a_second_refreshing_the_date_and_still_stops(
    frozen_calls: list[str],
) -> None:
    config = uvicorn.Config(_app, log_config=None)
    config.load()
    server = SecondTickServer(config)
    ticks: list[int] = []
    tick = server.on_tick

    async def counted(counter: int) -> bool:
        ticks.append(counter)
        return await tick(counter)

    server.on_tick = counted  # type: ignore[method-assign]
    loop = asyncio.create_task(server.main_loop())
    await asyncio.sleep(1.5)
    assert len(ticks) == 2  # at 0 s and 1 s: not the fifteen of a tenth-second tick
    server.should_exit = True
    await asyncio.wait_for(loop, 1.5)  # a shutdown request is seen within a second
    assert all(counter % 10 == 0 for counter in ticks)  # each one refreshes the header
    assert any(name == b"date" for name, _ in server.server_state.default_headers)
    assert frozen_calls == ["frozen"]  # once, as the loop began: not on every tick


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
