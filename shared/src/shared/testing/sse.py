"""A Server-Sent Events reader of the gateway's ``/api/v1/stream``, for tests and benchmarks.

It reads in the background and keeps what arrived (events, gaps, heartbeats) with
the moment each was read, so a test can wait for a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class SseEvent:
    """One SSE message as read: its id, its ``event`` kind and its JSON data."""

    id: str | None
    kind: str
    data: dict[str, Any]
    read_at: float  # time.time(): comparable with a send time another process wrote

    @property
    def type(self) -> str:
        return str(self.data.get("event", {}).get("type", ""))

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = self.data.get("event", {}).get("data", {})
        return payload


class SseReader:
    """``async with SseReader(url, key, params=...) as s:`` reads until the block ends."""

    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        params: dict[str, Any] | None = None,
        last_event_id: str | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {key}", "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self._client = httpx.AsyncClient(base_url=base_url, headers=headers, timeout=None)
        self._params = params or {}
        self.events: list[SseEvent] = []
        self.heartbeats = 0
        self.status = 0
        self._task: asyncio.Task[None] | None = None
        self._opened = asyncio.Event()

    async def __aenter__(self) -> SseReader:
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._opened.wait(), 30)
        if self.status != 200:
            await self.__aexit__()
            raise AssertionError(f"GET /api/v1/stream answered {self.status}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._client.aclose()

    async def _read(self) -> None:
        try:
            async with self._client.stream("GET", "/api/v1/stream", params=self._params) as r:
                self.status = r.status_code
                self._opened.set()
                fields: dict[str, str] = {}
                async for line in r.aiter_lines():
                    if line:
                        name, _, value = line.partition(":")
                        fields[name] = fields.get(name, "") + value.removeprefix(" ")
                        continue
                    self._message(fields)
                    fields = {}
        finally:
            self._opened.set()

    def _message(self, fields: dict[str, str]) -> None:
        if "" in fields and len(fields) == 1:  # a comment line only: the heartbeat
            self.heartbeats += 1
        elif "data" in fields:
            self.events.append(
                SseEvent(
                    id=fields.get("id"),
                    kind=fields.get("event", "message"),
                    data=json.loads(fields["data"]),
                    read_at=time.time(),
                )
            )

    @property
    def last_id(self) -> str | None:
        return next((e.id for e in reversed(self.events) if e.id), None)

    def matching(self, predicate: Callable[[SseEvent], bool]) -> list[SseEvent]:
        return [e for e in self.events if predicate(e)]

    async def wait_for(
        self, predicate: Callable[[SseEvent], bool], *, count: int = 1, timeout: float = 15
    ) -> list[SseEvent]:
        """Wait until ``count`` events match; TimeoutError names the types that came."""
        deadline = time.monotonic() + timeout
        while len(found := self.matching(predicate)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{len(found)} of {count} events in {timeout} s; "
                    f"saw {sorted({e.type for e in self.events})}"
                )
            await asyncio.sleep(0.02)
        return found
