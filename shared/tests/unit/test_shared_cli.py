"""The services' uvicorn server ticks once a second: it still refreshes ``Date`` and stops."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import uvicorn

from shared.cli import SecondTickServer


async def _app(scope: Any, receive: Any, send: Any) -> None:  # never called: no socket
    raise AssertionError("not served")


@pytest.mark.asyncio
async def test_it_ticks_once_a_second_refreshing_the_date_and_still_stops() -> None:
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
