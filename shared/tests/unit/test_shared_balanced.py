"""Spreading a service's requests over its replicas, and what fails over to the next one."""

from __future__ import annotations

import httpx
import pytest

from shared.web.balanced import BalancedTransport, balanced_transport, first_url, split_urls

A, B = "http://10.0.0.1:8101", "http://10.0.0.2:8101"


class Replicas:
    """Replicas behind a MockTransport: each host answers, refuses or drops as told."""

    def __init__(self, **behaviour: str) -> None:
        self.behaviour = behaviour  # host -> "ok" | "refuse" | "503" | "drop"
        self.seen: list[tuple[str, str, bytes]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        how = self.behaviour.get(host, "ok")
        if how == "refuse":
            raise httpx.ConnectError("connection refused", request=request)
        self.seen.append((host, request.method, request.read()))
        if how == "drop":
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        if how == "503":
            return httpx.Response(503, request=request)
        return httpx.Response(200, json={"host": host, "path": request.url.path}, request=request)


def client(replicas: Replicas, urls: str = f"{A},{B}") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=first_url(urls),
        transport=balanced_transport(urls, inner=httpx.MockTransport(replicas)),
    )


class TestRoundRobin:
    @pytest.mark.asyncio
    async def test_requests_take_the_replicas_in_turn_keeping_path_and_body(self) -> None:
        replicas = Replicas()
        async with client(replicas) as http:
            hosts = [(await http.post("/api/v1/x", content=b"b")).json() for _ in range(4)]

        assert [h["host"] for h in hosts] == ["10.0.0.1", "10.0.0.2"] * 2
        assert {h["path"] for h in hosts} == {"/api/v1/x"}
        assert {body for _, _, body in replicas.seen} == {b"b"}

    def test_a_comma_separated_address_names_every_replica(self) -> None:
        assert split_urls(f" {A} , {B} ") == [A, B]
        assert first_url(A) == A
        with pytest.raises(ValueError, match="no URL"):
            split_urls(" , ")


class TestFailover:
    @pytest.mark.asyncio
    async def test_a_refused_connection_moves_even_a_post_to_the_next_replica(self) -> None:
        replicas = Replicas(**{"10.0.0.1": "refuse"})
        async with client(replicas) as http:
            answers = [await http.post("/t", content=b"once") for _ in range(3)]

        assert [a.status_code for a in answers] == [200, 200, 200]
        assert [host for host, _, _ in replicas.seen] == ["10.0.0.2"] * 3  # each sent once

    @pytest.mark.asyncio
    async def test_a_503_is_retried_elsewhere_only_when_the_request_may_repeat(self) -> None:
        replicas = Replicas(**{"10.0.0.1": "503"})
        async with client(replicas) as http:
            got = await http.get("/t")
            posted = await http.post("/t", content=b"x")  # B's turn: fine
            refused = await http.post("/t", content=b"x")  # A's turn: its 503 stands
            await http.get("/t")  # B's turn
            keyed = await http.post("/t", content=b"x", headers={"Idempotency-Key": "k"})

        assert got.status_code == 200
        assert posted.status_code == 200
        assert refused.status_code == 503
        assert keyed.status_code == 200

    @pytest.mark.asyncio
    async def test_a_dropped_post_is_not_sent_again(self) -> None:
        replicas = Replicas(**{"10.0.0.1": "drop"})
        async with client(replicas) as http:
            with pytest.raises(httpx.RemoteProtocolError):
                await http.post("/t", content=b"x")
            assert (await http.get("/t")).status_code == 200  # B
            assert (await http.get("/t")).status_code == 200  # A drops; GET goes on to B

        assert [h for h, m, _ in replicas.seen if m == "POST"] == ["10.0.0.1"]

    @pytest.mark.asyncio
    async def test_every_replica_refusing_raises_the_connect_error(self) -> None:
        replicas = Replicas(**{"10.0.0.1": "refuse", "10.0.0.2": "refuse"})
        async with client(replicas) as http:
            with pytest.raises(httpx.ConnectError):
                await http.get("/t")

    @pytest.mark.asyncio
    async def test_a_refusing_replica_is_passed_over_during_its_cooldown(self) -> None:
        now = [0.0]
        replicas = Replicas(**{"10.0.0.1": "refuse"})
        transport = BalancedTransport(
            [A, B], inner=httpx.MockTransport(replicas), cooldown=5, clock=lambda: now[0]
        )
        attempts: list[str] = []

        async def tracked(request: httpx.Request) -> httpx.Response:
            attempts.append(request.url.host)
            return replicas(request)

        transport._inner = httpx.MockTransport(tracked)
        async with httpx.AsyncClient(base_url=A, transport=transport) as http:
            for _ in range(4):
                await http.get("/t")

        assert attempts.count("10.0.0.1") == 1  # refused once, then skipped while cooling
