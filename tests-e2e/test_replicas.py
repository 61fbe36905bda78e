"""Two replicas of everything under load, with one replica of each service and one gateway killed.

The stack is the test's own (``throwaway_stack(replicas=2)``: a fresh database, a
Tansu broker, a mail catcher) with two replicas of every service and two gateways.
Each gateway is given every replica of every service and spreads its requests over
them, failing over when one cannot be reached.

First, a key revoked on gateway A is refused by gateway B within a second.

Then a premium customer with a tiny 24x7 policy (response 10 s, resolution 20 s, so
every ticket's warnings at 50/75/90 % and both breaches come within the minute) and an
escalation policy (a response breach moves the ticket to line 2 and emails line 2's
lead and the engineer on duty) gets 10 tickets a second for 60 seconds, alternating
between the two gateways. Each ticket has its own ``Idempotency-Key``; a lost
connection or a 502/503/504 is retried with the same key on the OTHER gateway.
Meanwhile one replica of each service and gateway A are SIGKILLed, 8 seconds apart,
and each is started again 3 seconds after its kill (a replica that dies is restarted
by its supervisor in production too; the survivors carry the load in between).

An SSE client follows the customer on gateway A; the gateway's kill cuts it off and it
reconnects to gateway B with its ``Last-Event-ID``.

Afterwards:
- every ticket that got a 201/200 exists exactly once (by id and by registration
  number) with both timers scheduled once on ``support.sla.v1`` and in its SLA view;
- no alarm fired twice: one warning/breach event id per ticket, timer and threshold
  (the same event id published again by a relay is counted and printed, not failed);
- no email was sent twice: one Message-ID per recipient, ticket and subject (the
  same Message-ID caught twice, a send interrupted between the SMTP answer and the
  commit, is counted and printed);
- the SSE client missed nothing of what the topics hold for its filter.

The figures (tickets, kills, losses, duplicates, recovery per kill) are printed on a
``replicas:`` line and the table under it (``pytest -s``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from deskstack.services import SERVICES
from deskstack.stack import RunningStack, throwaway_stack
from shared.events.topics import ALL_TOPICS, SLA, TICKETS
from shared.infra.mailcatcher import read_mail
from shared.testing.builders import make_contact, make_customer
from shared.testing.observer import Seen, TopicObserver
from shared.testing.sse import SseReader

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

RATE_PER_SECOND = 10
LOAD_SECONDS = 60.0
FIRST_KILL_AT, KILL_EVERY, DOWN_SECONDS = 6.0, 8.0, 3.0
# One replica of each service and gateway A ("gateway", where the SSE client is).
KILLS = ("intake", "entitlement.2", "gateway", "sla-clock.2", "escalation", "notification.2")
RETRYABLE = {502, 503, 504}
IN_FLIGHT_SENDS = 8  # NOTIFICATION_WORKER_CONCURRENCY's default
REQUEST_DEADLINE = 120.0
SETTLE_TIMEOUT = 90.0
RESPONSE_TARGET, RESOLUTION_TARGET = "10s", "20s"
CRITICAL_EVERY = 10
# Every tenth ticket is critical (on the tiny targets: alarms, an escalation, its emails);
# the others are medium (hours), so the machine's two cores carry the minute.
TIMERS = ("response", "resolution")
ALARMS = ("sla.timer.warning", "sla.timer.breached")
ESCALATION_POLICY = {
    "version": "replicas-tiny-24x7",
    "entries": [
        {
            "tiers": ["premium"],
            "severities": ["critical"],
            "on_duty": "always",
            "assign_on_duty": True,
            "rules": [
                {
                    "timer": "response",
                    "trigger": "breach",
                    "next_line": True,
                    "notify": ["line_lead", "assignee"],
                }
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def replicated(postgres_server_url: str) -> Iterator[RunningStack]:
    # The checks read hundreds of tickets with the admin key: a roomy bucket.
    env = {
        "gateway": {
            "GATEWAY_RATE_LIMITS": '{"admin": {"per_second": 2000, "burst": 4000}}',
            # A starved machine may take long to read back what the SSE client missed.
            "GATEWAY_STREAM__READ_BACK_TIMEOUT_SECONDS": "120",
        }
    }
    # Small pools: twelve processes share a PostgreSQL server (100 connections) with
    # other test runs; intake takes every POST.
    for spec in SERVICES:
        size = "3" if spec.name == "intake" else "2"
        env.setdefault(spec.name, {})[f"{spec.prefix}DATABASE__POOL_SIZE"] = size
    with throwaway_stack(
        prefix="support_replicas", server=postgres_server_url, extra_env=env, replicas=2
    ) as stack:
        yield stack


@pytest_asyncio.fixture(loop_scope="session")
async def gateways(replicated: RunningStack) -> AsyncIterator[list[httpx.AsyncClient]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=url, headers=replicated.admin_headers(), timeout=30)
            )
            for url in replicated.gateway_urls
        ]


def _email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@vendor.example"


async def _created(api: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await api.post(path, json=body)
    assert r.status_code == 201, r.text
    found: dict[str, Any] = r.json()
    return found


async def _scenario(api: httpx.AsyncClient) -> tuple[dict[str, Any], list[str], set[str]]:
    """Line 2's lead and engineer on duty, a premium customer on a tiny policy, two contacts;
    returns the customer, the contacts' and the staff's addresses."""
    lead = await _created(
        api, "/api/v1/staff", {"name": "Lead", "email": _email("lead"), "line": 2, "role": "lead"}
    )
    engineer = await _created(
        api, "/api/v1/staff", {"name": "Duty", "email": _email("duty"), "line": 2}
    )
    now = datetime.now(UTC)
    await _created(
        api,
        "/api/v1/duty",
        {
            "staff_id": engineer["id"],
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(hours=12)).isoformat(),
        },
    )
    customer = await make_customer(api, trained_specialists=1)
    today = now.date()
    await _created(
        api,
        f"/api/v1/customers/{customer['id']}/contracts",
        {
            "tier": "premium",
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(),
            "policy": {
                "schedule": {"kind": "24x7"},
                "targets": {
                    "critical": {"response": RESPONSE_TARGET, "resolution": RESOLUTION_TARGET},
                    "medium": {"response": "4h", "resolution": "24h"},
                },
            },
            "escalation_policy": ESCALATION_POLICY,
        },
    )
    contacts = [(await make_contact(api, customer["id"]))["email"] for _ in range(2)]
    return customer, contacts, {lead["email"].lower(), engineer["email"].lower()}


async def _revoked_everywhere_within_a_second(stack: RunningStack) -> float:
    """Revoke a key on gateway A that gateway B has cached; how long until B refuses it."""
    a, b = stack.gateway_urls
    async with httpx.AsyncClient(headers=stack.admin_headers(), timeout=10) as admin:
        r = await admin.post(f"{a}/api/v1/api-keys", json={"name": "doomed", "role": "agent"})
        assert r.status_code == 201, r.text
        key, key_id = r.json()["key"], r.json()["id"]
        doomed = {"Authorization": f"Bearer {key}"}
        for _ in range(3):  # B has looked it up and caches it
            assert (
                await admin.get(f"{b}/api/v1/tickets?limit=1", headers=doomed)
            ).status_code == 200
        revoked_at = time.monotonic()
        assert (await admin.delete(f"{a}/api/v1/api-keys/{key_id}")).status_code in (200, 204)
        while (await admin.get(f"{b}/api/v1/tickets?limit=1", headers=doomed)).status_code != 401:
            assert time.monotonic() - revoked_at < 1.0, "gateway B still admits a revoked key"
            await asyncio.sleep(0.02)
        return time.monotonic() - revoked_at


@dataclass
class Load:
    """An open-loop ticket load over both gateways, failing over from one to the other."""

    gateways: list[httpx.AsyncClient]
    contacts: list[str]
    created: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> ticket id
    critical: set[str] = field(default_factory=set)  # ticket ids on the tiny targets
    answered_at: dict[str, float] = field(default_factory=dict)  # ticket id -> 201 time
    posted_at: dict[str, float] = field(default_factory=dict)  # Idempotency-Key -> first try
    answers: Counter[str] = field(default_factory=Counter)
    failovers: int = 0
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def run(self, seconds: float) -> float:
        """Post ``RATE_PER_SECOND * seconds`` tickets on that schedule; return how long the
        posting took (longer than ``seconds`` when this process is starved of CPU)."""
        started = time.monotonic()
        for n in range(1, int(RATE_PER_SECOND * seconds) + 1):
            key = f"replicas-{uuid.uuid4().hex}"
            self.tasks.append(asyncio.create_task(self._post(key, n)))
            await asyncio.sleep(max(0.0, started + n / RATE_PER_SECOND - time.monotonic()))
        posting = time.monotonic() - started
        await asyncio.gather(*self.tasks)
        return posting

    async def _post(self, key: str, n: int) -> None:
        """Post one ticket; on a lost connection or a 502/503/504, the other gateway, same key."""
        self.posted_at[key] = time.monotonic()
        deadline = self.posted_at[key] + REQUEST_DEADLINE
        turn = n % 2
        while True:
            try:
                r = await self.gateways[turn].post(
                    "/api/v1/tickets",
                    json={
                        "contact_email": self.contacts[n % len(self.contacts)],
                        "subject": f"replicas {n}",
                        "severity": "critical" if n % CRITICAL_EVERY == 0 else "medium",
                    },
                    headers={"Idempotency-Key": key},
                )
            except httpx.TransportError as exc:
                self.answers[type(exc).__name__] += 1
            else:
                self.answers[str(r.status_code)] += 1
                if r.status_code in (200, 201):
                    self.created[key] = r.json()["id"]
                    if n % CRITICAL_EVERY == 0:
                        self.critical.add(r.json()["id"])
                    self.answered_at[r.json()["id"]] = time.monotonic()
                    return
                assert r.status_code in RETRYABLE, f"{key}: {r.status_code} {r.text}"
            assert time.monotonic() < deadline, f"{key}: no 201 in {REQUEST_DEADLINE} s"
            turn = 1 - turn
            self.failovers += 1
            await asyncio.sleep(0.1)


@dataclass
class Kill:
    name: str
    at: float
    ready_after: float = 0.0  # SIGKILL -> the restarted replica answers /health/ready


async def _kill_in_turn(stack: RunningStack) -> list[Kill]:
    """SIGKILL each named replica KILL_EVERY seconds apart; start it again DOWN_SECONDS later.

    The schedule does not wait for a restarted replica to be ready (on a loaded machine a
    Python process can take tens of seconds to start): the survivors carry the load.
    """
    kills: list[Kill] = []
    restarts: list[asyncio.Task[None]] = []

    async def restart(kill: Kill) -> None:
        await asyncio.sleep(DOWN_SECONDS)
        await asyncio.to_thread(stack.start, kill.name)
        await asyncio.to_thread(stack.wait_ready, [kill.name], timeout=150)
        kill.ready_after = time.monotonic() - kill.at

    await asyncio.sleep(FIRST_KILL_AT)
    for name in KILLS:
        kill = Kill(name, time.monotonic())
        code = await asyncio.to_thread(stack.stop, name, kill=True)
        assert code == -9, f"{name} exited with {code}, not by the SIGKILL"
        kills.append(kill)
        restarts.append(asyncio.create_task(restart(kill)))
        await asyncio.sleep(max(0.0, kill.at + KILL_EVERY - time.monotonic()))
    await asyncio.gather(*restarts)
    return kills


@dataclass
class Follower:
    """The SSE client: on gateway A until it is cut off, then on B from its last id."""

    stack: RunningStack
    params: dict[str, str]
    readers: list[SseReader] = field(default_factory=list)
    resumed_from: str | None = None
    reconnected_after: float = 0.0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def events(self) -> list[Any]:
        return [e for reader in self.readers for e in reader.events]

    async def run(self) -> None:
        a, b = self.stack.gateway_urls
        key = self.stack.admin_key
        first = await SseReader(a, key, params=self.params).__aenter__()
        self.readers.append(first)
        if first._task is not None:  # reads until gateway A dies
            await asyncio.wait([first._task])
        cut_at = time.monotonic()
        with contextlib.suppress(httpx.HTTPError):  # the cut: a connection that broke
            await first.__aexit__()
        self.resumed_from = first.last_id
        assert self.resumed_from is not None, "nothing reached the client before the cut"
        then = await _connect(b, key, self.params, self.resumed_from)
        self.readers.append(then)
        self.reconnected_after = time.monotonic() - cut_at
        try:
            await self.done.wait()
        finally:
            await then.__aexit__()


async def _connect(url: str, key: str, params: dict[str, str], last_id: str) -> SseReader:
    """Reconnect as an SSE client does: again after ``retry`` until the stream answers 200
    (a gateway whose tail is still starting answers 503)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return await SseReader(url, key, params=params, last_event_id=last_id).__aenter__()
        except (AssertionError, httpx.HTTPError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1.0)


def _customers(seen: Seen) -> set[str]:
    data = seen.data
    return {str(c) for c in [data.get("customer_id"), *(data.get("customer_ids") or [])] if c}


async def _listed(api: httpx.AsyncClient, customer_id: str) -> list[dict[str, Any]]:
    """Every ticket of the customer, page by page (with its SLA view)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"customer_id": customer_id, "limit": 200}
        if cursor:
            params["cursor"] = cursor
        r = await api.get("/api/v1/tickets", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


async def _until(probe: Any, what: str, timeout: float = SETTLE_TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := await probe()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(1.0)
    return found


def _recovery(kill: Kill, load: Load, seen: list[Seen]) -> dict[str, float]:
    """After a kill: the first 201 of a ticket posted after it, and the slowest pipeline
    (201 -> its response timer on support.sla.v1) of tickets posted in the next 5 s."""
    posted = {tid: load.posted_at[k] for k, tid in load.created.items()}
    after = [tid for tid, at in posted.items() if at >= kill.at]
    first = min((load.answered_at[t] for t in after), default=kill.at) - kill.at
    timer_at: dict[str, float] = {}
    for s in seen:
        if s.type == "sla.timer.scheduled" and s.data.get("timer") == "response":
            timer_at.setdefault(s.subject, s.seen_at)
    soon = [t for t in after if posted[t] < kill.at + 5 and t in timer_at]
    lag = max((timer_at[t] - load.answered_at[t] for t in soon), default=0.0)
    return {"first_201": first, "pipeline_max": lag, "ready": kill.ready_after}


@dataclass
class Run:
    """What the run did and saw, for the checks and the figures."""

    load: Load
    kills: list[Kill]
    follower: Follower
    seen: list[Seen]
    listed: list[dict[str, Any]]  # every ticket of the customer, with its SLA view
    wanted: set[str]  # event ids the topics hold for the SSE client's filter
    staff: set[str]
    posting: float = 0.0
    answered: float = 0.0
    revoked_in: float = 0.0

    @property
    def ids(self) -> set[str]:
        return set(self.load.created.values())


async def _run(stack: RunningStack, gateways: list[httpx.AsyncClient]) -> Run:
    """The load, the kills and the SSE client; returns once everything has settled."""
    revoked_in = await _revoked_everywhere_within_a_second(stack)
    api = gateways[1]  # B stays up all along
    customer, contacts, staff = await _scenario(api)
    follower = Follower(stack, {"customer": customer["id"]})
    async with TopicObserver(stack.bootstrap, ALL_TOPICS, from_beginning=True) as observer:
        following = asyncio.create_task(follower.run())
        await asyncio.sleep(1.0)  # the SSE client is connected before the first ticket
        load = Load(gateways, contacts)
        started = time.monotonic()
        loading = asyncio.create_task(load.run(LOAD_SECONDS))
        kills = await _kill_in_turn(stack)
        posting = await loading
        # The restarted gateway A serves again, and B has carried everything meanwhile.
        await asyncio.to_thread(stack.wait_ready, timeout=150)
        answered = time.monotonic() - started
        ids = set(load.created.values())
        assert len(ids) == len(load.created), "two keys answered with one ticket"
        listed = await _settle(api, observer, load, customer["id"])
        wanted = {
            str(s.value["id"])
            for s in observer.seen
            if s.subject in ids and customer["id"] in _customers(s)
        }

        async def followed() -> bool:
            got = {str(e.data["event"]["id"]) for e in follower.events if e.kind == "message"}
            return wanted <= got

        with contextlib.suppress(AssertionError):  # what it missed is reported below
            await _until(followed, "the SSE client to catch up", timeout=20)
        follower.done.set()
        await following
        seen = list(observer.seen)
    return Run(load, kills, follower, seen, listed, wanted, staff, posting, answered, revoked_in)


async def _settle(
    api: httpx.AsyncClient, observer: TopicObserver, load: Load, customer_id: str
) -> list[dict[str, Any]]:
    """Wait for both breaches of every critical ticket and every ticket's SLA view."""
    ids = set(load.created.values())

    async def all_breached() -> bool:
        breached = {
            (s.subject, s.data["timer"])
            for s in observer.seen
            if s.type == "sla.timer.breached" and s.subject in load.critical
        }
        return len(breached) >= 2 * len(load.critical)

    await _until(all_breached, "both breaches of every critical ticket", timeout=60)
    listed: list[dict[str, Any]] = await _until(
        lambda: _settled(api, customer_id, ids), "every ticket's SLA view"
    )
    await asyncio.sleep(2.0)  # a late republished copy or a late SSE event shows itself
    return listed


def _ticket_figures(run: Run) -> dict[str, Any]:
    """Tickets lost or twice (by id, by number), their timers and ticket.created events."""
    listed_ids = Counter(t["id"] for t in run.listed)
    numbers = Counter(t["registration_number"] for t in run.listed)
    timer_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    created: dict[str, set[str]] = defaultdict(set)
    for s in run.seen:
        if s.subject not in run.ids:
            continue
        if s.topic == SLA and s.type == "sla.timer.scheduled":
            timer_ids[(s.subject, s.data["timer"])].add(s.data["timer_id"])
        if s.topic == TICKETS and s.type == "ticket.created":
            created[s.subject].add(str(s.value["id"]))
    return {
        "lost": run.ids - set(listed_ids),
        "twice": [t for t, n in listed_ids.items() if n > 1]
        + [n for n, c in numbers.items() if c > 1],
        "timer_ids": timer_ids,
        "created": created,
    }


def _alarm_figures(run: Run) -> dict[str, Any]:
    """Distinct alarm event ids per ticket, timer, kind and threshold; same-id copies."""
    alarm_ids: dict[tuple[str, str, str, Any], set[str]] = defaultdict(set)
    records = 0
    for s in run.seen:
        if s.type in ALARMS and s.subject in run.ids:
            records += 1
            key = (s.subject, s.data["timer"], s.type, s.data.get("percent"))
            alarm_ids[key].add(str(s.value["id"]))
    copies = Counter((s.topic, str(s.value.get("id"))) for s in run.seen)
    return {
        "alarms": alarm_ids,
        "twice": {k: v for k, v in alarm_ids.items() if len(v) > 1},
        "redelivered": records - len(alarm_ids),
        "republished": sum(n - 1 for n in copies.values()),
    }


def _mail_figures(run: Run, mail_dir: Any) -> dict[str, Any]:
    """One Message-ID per recipient, ticket and subject; the same Message-ID caught again."""
    numbers = {t["registration_number"] for t in run.listed}
    per_message: Counter[tuple[str, str]] = Counter()
    logical: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for mail in read_mail(mail_dir):
        subject = str(mail["Subject"])
        found = re.match(r"\[([^\]]+)\]", subject)
        if not found or found.group(1) not in numbers:
            continue
        to = str(mail["To"]).lower()
        per_message[(to, str(mail["Message-ID"]))] += 1
        logical[(to, found.group(1), subject)].add(str(mail["Message-ID"]))
    return {
        "distinct": len(per_message),
        "twice": {k: v for k, v in logical.items() if len(v) > 1},
        "resent": sum(n - 1 for n in per_message.values()),
        "escalation": sum(1 for (to, _, _) in logical if to in run.staff),
    }


def _sse_figures(run: Run) -> dict[str, Any]:
    """What the SSE client missed of what the topics hold for its filter; copies, gaps."""
    got = [str(e.data["event"]["id"]) for e in run.follower.events if e.kind == "message"]
    return {
        "got": len(got),
        "missed": run.wanted - set(got),
        "duplicates": len(got) - len(set(got)),
        "gaps": [e for e in run.follower.events if e.kind == "gap"],
    }


def _report(
    run: Run, t: dict[str, Any], a: dict[str, Any], m: dict[str, Any], e: dict[str, Any]
) -> str:
    """The ``replicas:`` line and the table of recovery per kill."""
    load = run.load
    lines = [
        f"replicas: 2 of each process; {len(run.ids)} tickets got a 201/200 "
        f"({len(load.posted_at)} posted in {run.posting:.0f} s, all answered in "
        f"{run.answered:.0f} s, {len(load.critical)} critical); kills {len(run.kills)}; "
        f"losses {len(t['lost'])}; tickets twice {len(t['twice'])}; alarms twice "
        f"{len(a['twice'])}; emails twice {len(m['twice'])}; SSE missed {len(e['missed'])} "
        f"of {len(run.wanted)}",
        f"  answers {dict(load.answers)}; failovers to the other gateway {load.failovers}",
        f"  alarm events {len(a['alarms'])} (redelivered same id: {a['redelivered']}); "
        f"records republished on all topics: {a['republished']}",
        f"  emails {m['distinct']} distinct ({m['escalation']} escalation), re-sent with "
        f"the same Message-ID: {m['resent']}",
        f"  SSE: {e['got']} events, resumed on B {run.follower.reconnected_after:.2f} s after "
        f"the cut, duplicates {e['duplicates']}, gaps {len(e['gaps'])}",
        f"  key revoked on A refused by B after {run.revoked_in * 1000:.0f} ms",
        f"  {'killed':<16}{'first 201':>10}{'pipeline':>10}{'ready':>8}",
    ]
    for kill in run.kills:
        r = _recovery(kill, load, run.seen)
        lines.append(
            f"  {kill.name:<16}{r['first_201']:>9.2f}s{r['pipeline_max']:>9.2f}s{r['ready']:>7.2f}s"
        )
    return "\n".join(lines)


async def test_two_replicas_of_everything_lose_nothing_and_do_nothing_twice(
    replicated: RunningStack, gateways: list[httpx.AsyncClient]
) -> None:
    run = await _run(replicated, gateways)
    tickets, alarms = _ticket_figures(run), _alarm_figures(run)
    mail, sse = _mail_figures(run, replicated.mail_dir), _sse_figures(run)
    print("\n" + _report(run, tickets, alarms, mail, sse))  # noqa: T201

    ids = run.ids
    assert len(ids) == len(run.load.posted_at) == RATE_PER_SECOND * LOAD_SECONDS
    assert not tickets["lost"], sorted(tickets["lost"])[:5]
    assert not tickets["twice"], tickets["twice"][:5]
    assert set(tickets["timer_ids"]) == {(t, k) for t in ids for k in TIMERS}
    assert all(len(v) == 1 for v in tickets["timer_ids"].values())
    assert set(tickets["created"]) == ids
    assert all(len(v) == 1 for v in tickets["created"].values())
    assert not alarms["twice"], list(alarms["twice"].items())[:5]
    # 50/75/90 % warnings and a breach, per timer, of each critical ticket; none of the others.
    assert len(alarms["alarms"]) == 8 * len(run.load.critical)
    assert not mail["twice"], list(mail["twice"].items())[:5]
    # A notification replica killed between the SMTP server's answer and its commit sends
    # that same message (same Message-ID) again: at most what its worker had in flight.
    assert mail["resent"] <= IN_FLIGHT_SENDS * sum(
        k.name.startswith("notification") for k in run.kills
    )
    assert not sse["missed"], sorted(sse["missed"])[:5]
    assert not sse["gaps"]


async def _settled(
    api: httpx.AsyncClient, customer_id: str, ids: set[str]
) -> list[dict[str, Any]] | None:
    """Every ticket of the customer once both timers show in its SLA view."""
    listed = await _listed(api, customer_id)
    complete = [
        t
        for t in listed
        if {x["timer"] for x in (t.get("sla") or {}).get("timers", []) if x.get("due_at")}
        >= set(TIMERS)
    ]
    return listed if {t["id"] for t in complete} >= ids else None
