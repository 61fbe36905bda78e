"""The command line every service shares: ``python -m <service> {api,migrate}``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import time
from collections.abc import Callable, Mapping
from email.utils import formatdate
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from shared.db import run_migrations
from shared.settings import ServiceSettings

STARTUP_FAILURE = 3  # uvicorn's own exit code when the app cannot start


def step_back(settings: ServiceSettings) -> None:
    """Lower this process's CPU priority by ``settings.cpu_nice`` (0: leave it).

    On one shared machine, the services nobody waits on in a request (notification,
    escalation, entitlement) yield the cores to the request path and to sla-clock. In
    ``stack_cost.py``'s quarter phase (four alternated pairs, 16 tickets/s) POST p99 went
    from 37-48 to 28-37 ms; and at 30 tickets/s the stack spent 23-27 instead of 27-40 ms
    per ticket, the yielding consumers taking larger batches.
    """
    if settings.cpu_nice:
        os.nice(settings.cpu_nice)


def freeze_startup_objects() -> int:
    """Put what start-up allocated out of the garbage collector's reach; return how many.

    The app, its routes and schemas, the settings, the pools and the consumers live as
    long as the process. Left in the oldest generation, every full collection walks them
    all: one full collection per service within a 50 s load, each stalling every request
    and event of its process for 89-124 ms (measured with ``gc.callbacks`` under
    ``bench/stack_cost.py``'s load; the tail of POST and of POST -> timer). Frozen, a full
    collection walks only what was allocated since. The one collection before it (a
    tenth of a second or so) runs once, as the server starts.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


# With no connection open the server still looks at its exit flag this often, in case
# something other than a signal sets it.
IDLE_TICK_SECONDS = 30.0


class _Connections(set[Any]):
    """uvicorn's set of open connections, telling the server as one opens."""

    def __init__(self, opened: Callable[[], None]) -> None:
        super().__init__()
        self._opened = opened

    def add(self, item: Any) -> None:
        super().add(item)
        self._opened()


class QuietTickServer(uvicorn.Server):
    """uvicorn's server, ticking once a second while a connection is open and not at all
    while none is, with what start-up allocated frozen out of the garbage collector's walks.

    The tick refreshes the ``Date`` header (one-second resolution) and notices a shutdown
    request. uvicorn ticks ten times a second; once a second in each of six processes was
    still a share of the idle stack's CPU. Now a connection that opens refreshes ``Date``
    before its first request is read and starts the ticks again, and a signal wakes the
    loop at once (``handle_exit``), so a SIGTERM starts the graceful shutdown at once.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        # Before any protocol is built: each keeps a reference to this set.
        self.server_state.connections = _Connections(self._opened)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._awake: asyncio.Event | None = None

    def _opened(self) -> None:
        if self._awake is not None and not self._awake.is_set():
            self._refresh_date()
            self._awake.set()

    def _refresh_date(self) -> None:
        date = [(b"date", formatdate(time.time(), usegmt=True).encode())]
        own = date if self.config.date_header else []
        self.server_state.default_headers = own + self.config.encoded_headers

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._awake is not None:
            self._loop.call_soon_threadsafe(self._awake.set)

    async def main_loop(self) -> None:
        freeze_startup_objects()  # the app has started: what it holds now is for life
        self._loop, self._awake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 10) % 864_000  # every tick is a "once a second" tick
            self._awake.clear()
            serving = bool(self.server_state.connections)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._awake.wait(), 1.0 if serving else IDLE_TICK_SECONDS)
            should_exit = await self.on_tick(counter)


def main(
    *,
    prog: str,
    settings_class: type[ServiceSettings],
    create_app: Callable[[Any], Any],
    migrations: Path,
    schema: str,
    argv: list[str] | None = None,
    commands: Mapping[str, Callable[[Any], None]] | None = None,
) -> None:
    """Run the API server (with its consumer and relay), the migrations, or one of the
    service's own processes (``commands``: name -> run with the settings, e.g. intake's
    SMTP listener)."""
    extra = dict(commands or {})
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("command", choices=["api", "migrate", *extra], nargs="?", default="api")
    args = parser.parse_args(argv)
    settings = settings_class()
    if args.command in extra:
        extra[args.command](settings)
        return
    if args.command == "migrate":
        run_migrations(script_location=migrations, url=settings.database.url, schema=schema)
        return
    step_back(settings)
    app = create_app(settings)
    # Build the OpenAPI document before serving (FastAPI caches it): the gateway fetches
    # it with a short timeout, and the larger services take seconds to build it on a
    # loaded host, which left them out of the merged document.
    app.openapi()
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=10,
        access_log=False,
        # A header block larger than this is refused by the HTTP parser itself (h11).
        h11_max_incomplete_event_size=64 * 1024,
    )
    server = QuietTickServer(config)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
