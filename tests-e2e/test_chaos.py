"""Chaos: under a steady load of tickets, every service is SIGKILLed in turn and restarted.

The stack is the test's own (its own database, Tansu broker and mail catcher), so the
kills do not disturb the session's stack. A client posts tickets through the gateway at
a steady, open-loop rate, each with its own ``Idempotency-Key``; a connection error or a
502/503/504 is retried with the SAME key until it answers 201 (or 200, the replay of a
ticket that was committed before its answer was lost). Meanwhile intake, entitlement,
sla-clock, escalation, notification and the gateway are killed one after the other
(SIGKILL, no grace) and started again about a second later.

Afterwards every ticket that got a 201/200 exists and had exactly one effect per event in
every consumer: one response and one resolution timer in sla-clock (one ``timer_id``
per kind on ``support.sla.v1``), both timers in intake's SLA read model, no escalation
(a medium ticket on a long policy), exactly one registration email (one Message-ID; a
kill between the SMTP 250 and the commit may re-send that same message once), one
webhook delivery per event (one ``webhook-id``), and nothing on ``support.dlq.v1``. Republished records on the topics are allowed
(at-least-once) and printed per kill, with each service's recovery time.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deskstack.services import SERVICES
from deskstack.stack import RunningStack, throwaway_stack
from shared.events.topics import ALL_TOPICS, DLQ, TICKETS
from shared.infra.mailcatcher import read_mail
from shared.testing.builders import make_contact, make_contract, make_customer
from shared.testing.observer import Seen, TopicObserver
from shared.testing.receiver import WebhookReceiver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

KILL_ORDER = ("intake", "entitlement", "sla-clock", "escalation", "notification", "gateway")
RATE_PER_SECOND = 4
LOAD_BETWEEN_KILLS = 3.0  # seconds of load before each kill (and after the last restart)
DOWN_SECONDS = 1.0  # a killed service stays down this long before it is started again
RETRYABLE = {502, 503, 504}
REQUEST_DEADLINE = 90.0  # one ticket's retries give up after this long
SETTLE_TIMEOUT = 90.0  # waits for the consumers to catch up after the last restart
TIMERS = {"response", "resolution"}


@pytest.fixture(scope="module")
def chaos_stack(postgres_server_url: str) -> Iterator[RunningStack]:
    # The checks afterwards read a few hundred tickets with the admin key, faster than
    # the admin's default bucket refills.
    env = {"gateway": {"GATEWAY_RATE_LIMITS": '{"admin": {"per_second": 1000, "burst": 2000}}'}}
    # Small pools: the PostgreSQL server (100 connections) is shared with other test runs.
    for spec in SERVICES:
        env.setdefault(spec.name, {})[f"{spec.prefix}DATABASE__POOL_SIZE"] = "4"
    with throwaway_stack(
        prefix="support_chaos", server=postgres_server_url, extra_env=env
    ) as stack:
        yield stack


@pytest_asyncio.fixture(loop_scope="session")
async def chaos_api(chaos_stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=chaos_stack.gateway_url, headers=chaos_stack.admin_headers(), timeout=30
    ) as client:
        yield client


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    """A webhook receiver subscribed to the customer's ticket.created and timers."""
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@dataclass
class Load:
    """An open-loop ticket load: one task per ticket, started on a fixed schedule."""

    api: httpx.AsyncClient
    email: str
    created: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> ticket id
    answers: Counter[str] = field(default_factory=Counter)  # status code or error name
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        interval = 1 / RATE_PER_SECOND
        started = time.monotonic()
        n = 0
        while not self.stop.is_set():
            n += 1
            self.tasks.append(asyncio.create_task(self._post(f"chaos-{self.email}-{n}", n)))
            # Open loop: the schedule does not wait for slow answers.
            await asyncio.sleep(max(0.0, started + n * interval - time.monotonic()))

    async def _post(self, key: str, n: int) -> None:
        """Post one ticket; retry the same key on a lost connection or a 502/503/504."""
        deadline = time.monotonic() + REQUEST_DEADLINE
        while True:
            try:
                r = await self.api.post(
                    "/api/v1/tickets",
                    json={
                        "contact_email": self.email,
                        "subject": f"chaos {n}",
                        "severity": "medium",
                    },
                    headers={"Idempotency-Key": key},
                )
            except httpx.TransportError as exc:
                self.answers[type(exc).__name__] += 1
            else:
                self.answers[str(r.status_code)] += 1
                if r.status_code in (200, 201):
                    self.created[key] = r.json()["id"]
                    return
                assert r.status_code in RETRYABLE, f"{key}: {r.status_code} {r.text}"
            assert time.monotonic() < deadline, f"{key}: no 201 in {REQUEST_DEADLINE} s"
            await asyncio.sleep(0.25)

    async def finish(self) -> None:
        self.stop.set()
        await asyncio.gather(*self.tasks)


@dataclass
class Kill:
    service: str
    at: float  # time.monotonic() of the SIGKILL
    ready_after: float = 0.0  # seconds from the SIGKILL to /health/ready 200
    boot: float = 0.0  # of which from the new process's start to /health/ready 200


async def _kill_each_in_turn(stack: RunningStack) -> list[Kill]:
    """SIGKILL each service, start it again after DOWN_SECONDS, wait until it is ready."""
    kills: list[Kill] = []
    for name in KILL_ORDER:
        await asyncio.sleep(LOAD_BETWEEN_KILLS)
        kill = Kill(name, time.monotonic())
        code = await asyncio.to_thread(stack.stop, name, kill=True)
        assert code == -9, f"{name} exited with {code}, not by the SIGKILL"
        await asyncio.sleep(DOWN_SECONDS)
        started = time.monotonic()
        await asyncio.to_thread(stack.start, name)
        await asyncio.to_thread(stack.wait_ready, [name], timeout=60)
        kill.ready_after = time.monotonic() - kill.at
        kill.boot = time.monotonic() - started
        kills.append(kill)
    await asyncio.sleep(LOAD_BETWEEN_KILLS)
    return kills


async def _each(ids: list[str], check: Callable[[str], Awaitable[Any]]) -> dict[str, Any]:
    """Run ``check`` for every ticket, a few at a time (the machine has two cores)."""
    gate = asyncio.Semaphore(8)

    async def one(tid: str) -> Any:
        async with gate:
            return await check(tid)

    return dict(zip(ids, await asyncio.gather(*(one(t) for t in ids)), strict=True))


async def _until(probe: Callable[[], Awaitable[Any]], what: str) -> Any:
    """Poll ``probe`` until it returns something truthy, within SETTLE_TIMEOUT."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while not (found := await probe()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.5)
    return found


async def _get(api: httpx.AsyncClient, path: str, *, not_yet: bool = False) -> Any:
    """GET a read, retried on 502/503/504 as the problem+json says (bounded).

    The PostgreSQL server is shared with other test runs; a full server ("too many
    clients") is a 503 database-unavailable, which a client retries. ``not_yet``: a 404
    means the service has not consumed the ticket yet (None), not a failure.
    """
    deadline = time.monotonic() + SETTLE_TIMEOUT
    for _ in range(int(SETTLE_TIMEOUT * 2)):
        r = await api.get(path)
        if r.status_code not in RETRYABLE or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    if not_yet and r.status_code == 404:
        return None
    assert r.status_code == 200, f"{path}: {r.status_code} {r.text}"
    return r.json()


async def _settled(api: httpx.AsyncClient, tid: str) -> dict[str, Any] | None:
    """The ticket once intake's read model has both timers and its registration email is sent."""
    ticket: dict[str, Any] = await _get(api, f"/api/v1/tickets/{tid}")
    sla = ticket.get("sla") or {"timers": []}
    if {t["timer"] for t in sla["timers"] if t["due_at"]} != TIMERS:
        return None
    # intake's read model can be complete before notification has read ticket.created
    # (it is restarted in turn, and yields the cores under load): not settled yet.
    notes = await _get(api, f"/api/v1/tickets/{tid}/notifications", not_yet=True)
    sent = [
        n for n in notes or [] if n["template"] == "ticket_registered" and n["status"] == "sent"
    ]
    return ticket if sent else None


async def _check_ticket(api: httpx.AsyncClient, tid: str) -> dict[str, Any]:
    """One ticket's effects in every consumer; return its registration number and Message-ID."""
    ticket = await _until(lambda: _settled(api, tid), f"ticket {tid} to settle")
    # intake's SLA read model: one entry per timer kind.
    assert sorted(t["timer"] for t in ticket["sla"]["timers"]) == sorted(TIMERS), ticket["sla"]
    # sla-clock: exactly one set of timers.
    timers = (await _get(api, f"/api/v1/tickets/{tid}/sla"))["timers"]
    assert sorted(t["timer"] for t in timers) == sorted(TIMERS), timers
    # escalation: a medium ticket on a long policy is not escalated (a duplicate
    # sla.timer.warning or breach applied twice would show here).
    assert await _get(api, f"/api/v1/tickets/{tid}/escalations") == []
    # notification: one registration, sent.
    notes = await _get(api, f"/api/v1/tickets/{tid}/notifications")
    registered = [n for n in notes if n["template"] == "ticket_registered"]
    assert [n["status"] for n in registered] == ["sent"], registered
    return {"number": ticket["registration_number"], "message_id": registered[0]["message_id"]}


def _check_mail(stack: RunningStack, expected: dict[str, dict[str, Any]]) -> int:
    """One registration email per ticket (one Message-ID, at most one re-sent copy).

    Matched by the ``[number]`` that starts every subject about a ticket, in any
    language: these tickets get no other email, so every one found is the registration.
    """
    by_number: dict[str, list[str]] = defaultdict(list)
    for mail in read_mail(stack.mail_dir):
        found = re.match(r"\[([^\]]+)\]", str(mail["Subject"]))
        if found:
            by_number[found.group(1)].append(str(mail["Message-ID"]))
    resent = 0
    for tid, facts in expected.items():
        ids = by_number.get(facts["number"], [])
        assert set(ids) == {facts["message_id"]}, (tid, facts, ids)
        assert len(ids) <= 2, (tid, ids)
        resent += len(ids) - 1
    return resent


HOOKED = ("ticket.created", "sla.timer.scheduled")


async def _check_webhooks(hook: WebhookReceiver, ids: list[str]) -> int:
    """notification's webhooks: one delivery per event (a retried copy keeps its webhook-id).

    Returns how many requests repeated a webhook-id already received.
    """
    wanted = set(ids)

    def per_event() -> dict[tuple[str, str, str], set[str]]:
        out: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for headers, body in list(hook.requests):
            event = json.loads(body)
            if event["subject"] in wanted:
                out[(event["subject"], event["type"], event["id"])].add(headers["webhook-id"])
        return out

    async def all_there() -> dict[tuple[str, str, str], set[str]] | None:
        got = per_event()
        return got if len(got) >= len(ids) * 3 else None  # ticket.created + two timers

    got = await _until(all_there, "a webhook for every ticket.created and timer")
    per_ticket = Counter((tid, kind) for tid, kind, _ in got)
    assert set(per_ticket) == {(t, k) for t in ids for k in HOOKED}
    assert all(
        n == (2 if kind == "sla.timer.scheduled" else 1) for (_, kind), n in per_ticket.items()
    )
    assert all(len(hooks) == 1 for hooks in got.values()), got
    return len(hook.requests) - len(got)


def _duplicates(seen: list[Seen], kills: list[Kill]) -> dict[str, Counter[str]]:
    """Extra copies of an event id per topic, put down to the last kill before each copy."""
    first: set[tuple[str, str]] = set()
    by_kill: dict[str, Counter[str]] = {k.service: Counter() for k in kills}
    by_kill["(before any kill)"] = Counter()
    for s in seen:
        key = (s.topic, str(s.value.get("id")))
        if key not in first:
            first.add(key)
            continue
        before = [k for k in kills if k.at <= s.seen_at]
        by_kill[before[-1].service if before else "(before any kill)"][s.topic] += 1
    return by_kill


def _report(
    kills: list[Kill], dups: dict[str, Counter[str]], load: Load, resent: int, rehooked: int
) -> str:
    """The table the reliability note quotes: recovery time and duplicates per kill."""
    topics = [t.removeprefix("support.").removesuffix(".v1") for t in ALL_TOPICS]
    lines = [
        f"chaos: {len(load.created)} tickets got a 201/200; answers seen {dict(load.answers)}",
        f"{'killed':<14}{'kill->ready':>12}{'start->ready':>13}  duplicates per topic "
        f"({', '.join(topics)})",
    ]
    for k in kills:
        counts = ", ".join(str(dups[k.service][t]) for t in ALL_TOPICS)
        lines.append(f"{k.service:<14}{k.ready_after:>11.2f}s{k.boot:>12.2f}s  {counts}")
    lines.append(f"registration emails re-sent with the same Message-ID: {resent}")
    lines.append(f"webhooks re-sent with the same webhook-id: {rehooked}")
    return "\n".join(lines)


async def test_killing_every_service_in_turn_loses_nothing_and_applies_nothing_twice(
    chaos_stack: RunningStack, chaos_api: httpx.AsyncClient, hook: WebhookReceiver
) -> None:
    # Extended: no limit on open tickets (standard and basic allow one).
    customer = await make_customer(chaos_api, trained_specialists=1)
    await make_contract(chaos_api, customer["id"], "extended")
    contact = await make_contact(chaos_api, customer["id"], language="en")
    r = await chaos_api.post(
        "/api/v1/webhooks",
        json={"url": hook.url, "event_types": list(HOOKED), "customer_id": customer["id"]},
    )
    assert r.status_code == 201, r.text
    async with (
        httpx.AsyncClient(
            base_url=chaos_stack.gateway_url, headers=chaos_stack.admin_headers(), timeout=30
        ) as client,
        TopicObserver(chaos_stack.bootstrap, ALL_TOPICS, from_beginning=True) as seen,
    ):
        load = Load(client, contact["email"])
        generator = asyncio.create_task(load.run())
        kills = await _kill_each_in_turn(chaos_stack)
        ready = {k.service: round(k.ready_after, 2) for k in kills}
        print(f"\nSIGKILL -> ready (s): {ready}")  # noqa: T201
        await load.finish()
        await generator
        assert len(load.created) >= RATE_PER_SECOND * LOAD_BETWEEN_KILLS * len(KILL_ORDER) // 2

        ids = sorted(set(load.created.values()))
        assert len(ids) == len(load.created), "two keys answered with one ticket"
        facts = await _each(ids, lambda tid: _check_ticket(chaos_api, tid))
        expected = set(ids)
        scheduled = await seen.wait_for(
            lambda s: s.type == "sla.timer.scheduled" and s.subject in expected,
            count=2 * len(ids),
            timeout=SETTLE_TIMEOUT,
        )
        await asyncio.sleep(1.0)  # let a late republished copy show itself
        resent = _check_mail(chaos_stack, facts)
        rehooked = await _check_webhooks(hook, ids)
    # Shown with ``pytest -s`` or ``-rP``: the figures the closing note quotes.
    print("\n" + _report(kills, _duplicates(seen.seen, kills), load, resent, rehooked))  # noqa: T201

    timer_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in seen.matching(lambda s: s.type == "sla.timer.scheduled" and s.subject in expected):
        timer_ids[(s.subject, s.data["timer"])].add(s.data["timer_id"])
    assert set(timer_ids) == {(t, k) for t in ids for k in TIMERS}, len(scheduled)
    assert all(len(v) == 1 for v in timer_ids.values()), timer_ids
    created = seen.matching(lambda s: s.topic == TICKETS and s.type == "ticket.created")
    assert {s.subject for s in created} >= expected
    assert len({s.value["id"] for s in created if s.subject in expected}) == len(ids)
    dead = seen.matching(lambda s: s.topic == DLQ)
    assert dead == [], [(s.type, s.subject) for s in dead]
