"""An httpx transport that spreads requests over a service's replicas and fails over safely.

One service address may name several replicas, comma-separated
(``http://10.0.0.1:8101,http://10.0.0.2:8101``). Requests take the replicas in turn
(round robin). Which failures move a request to the next replica depends on what the
failed replica may have done with it:

- no connection could be made (refused, unreachable, connect timeout): nothing was
  sent, so any request, a POST included, goes to the next replica;
- the replica answered 502 or 503, or dropped the connection after the request went
  out: only a request that may be repeated goes on (GET, HEAD, OPTIONS, PUT, DELETE,
  or any request with an ``Idempotency-Key``, which the services deduplicate);
- a read timeout is never retried: the time the caller allowed is spent, and the
  request may still be running.

A replica that refused a connection is passed over for ``cooldown`` seconds, so a dead
replica costs one failed connect per cooldown instead of one per request.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

import httpx

_REPEATABLE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_RETRY_STATUS = frozenset({502, 503})


def split_urls(value: str) -> list[str]:
    """The replicas a service address names: one URL, or several separated by commas."""
    urls = [u.strip() for u in value.split(",") if u.strip()]
    if not urls:
        raise ValueError(f"no URL in {value!r}")
    return urls


def first_url(value: str) -> str:
    """The first replica's URL (a client's nominal ``base_url``)."""
    return split_urls(value)[0]


def repeatable(request: httpx.Request) -> bool:
    """May ``request`` be sent again after a replica may have seen it?"""
    return request.method in _REPEATABLE or "idempotency-key" in request.headers


class BalancedTransport(httpx.AsyncBaseTransport):
    """Round robin over replicas with failover; wraps one pooled transport for all of them."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        inner: httpx.AsyncBaseTransport | None = None,
        cooldown: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._targets = [httpx.URL(u) for u in urls]
        if not self._targets:
            raise ValueError("a balanced transport needs at least one URL")
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._turn = itertools.count()
        self._cooldown = cooldown
        self._clock = clock
        self._down_until = [0.0] * len(self._targets)

    @property
    def targets(self) -> list[httpx.URL]:
        return list(self._targets)

    def _order(self) -> list[int]:
        """Every replica once, starting at this request's turn; cooling ones last."""
        n = len(self._targets)
        start = next(self._turn) % n
        order = [(start + i) % n for i in range(n)]
        now = self._clock()
        return [i for i in order if self._down_until[i] <= now] + [
            i for i in order if self._down_until[i] > now
        ]

    def _aimed(self, request: httpx.Request, index: int) -> httpx.Request:
        target = self._targets[index]
        if (request.url.scheme, request.url.host, request.url.port) == (
            target.scheme,
            target.host,
            target.port,
        ):
            # Already aimed there (callers build requests on the first URL, and a service
            # of one replica is most): a copy would re-parse the URL and every header.
            return request
        url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
        aimed = httpx.Request(
            request.method,
            url,
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        aimed.headers["host"] = url.netloc.decode("ascii")
        return aimed

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if len(self._targets) == 1:
            return await self._inner.handle_async_request(self._aimed(request, 0))
        order = self._order()
        last: Exception | None = None
        for position, index in enumerate(order):
            final = position == len(order) - 1
            try:
                response = await self._inner.handle_async_request(self._aimed(request, index))
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                self._down_until[index] = self._clock() + self._cooldown
                last = exc
                continue  # nothing reached the replica: safe for any method
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                if final or not repeatable(request):
                    raise
                last = exc
                continue
            if response.status_code in _RETRY_STATUS and not final and repeatable(request):
                await response.aclose()
                continue
            self._down_until[index] = 0.0
            return response
        assert last is not None  # the loop returns or records why each replica failed
        raise last

    async def aclose(self) -> None:
        await self._inner.aclose()


def balanced_transport(
    value: str, *, inner: httpx.AsyncBaseTransport | None = None, cooldown: float = 1.0
) -> BalancedTransport:
    """A transport over the replicas ``value`` names (see :func:`split_urls`)."""
    return BalancedTransport(split_urls(value), inner=inner, cooldown=cooldown)
