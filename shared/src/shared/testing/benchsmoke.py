"""Every bench script at smoke size: what each must print, and how to run one under pytest.

``tests-e2e/test_bench_smoke_<group>.py`` runs the scripts of its group (one file per
group, so that pytest-xdist's ``--dist loadfile`` spreads the groups over the workers);
a test fails when ``bench/`` holds a script without an entry here. Each pattern is a
figure line with its number and unit, matched against the script's standard output.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
BENCH = ROOT / "bench"
# A figure: 1,234 or -0.5 or 12 (never "nan": a figure that was not measured fails).
N = r"-?\d[\d,]*(?:\.\d+)?"
GROUPS = ("inproc", "broker", "stack", "census")


@dataclass(frozen=True)
class Bench:
    """One script's smoke run: its group (test file), its seconds at most, its figure lines."""

    group: str
    timeout: float
    patterns: tuple[str, ...]


SMOKE: dict[str, Bench] = {
    # In process, PostgreSQL at most.
    "sla_engine": Bench(
        "inproc",
        60,
        (
            rf"^\s+20min\s+8x5\s+{N}\s+{N}\s+{N}\s+{N}x\s+\d+\s+0$",
            rf"^\s+15d\s+24x7\s+{N}\s+{N}\s+n/a",
            rf"^total {N} s$",
        ),
    ),
    "sla_simulate": Bench("inproc", 60, (rf"^20-event history: {N} simulations/s",)),
    "auth_overhead": Bench(
        "inproc",
        90,
        (
            rf"^gateway authenticate\(\) alone: {N} us per request",
            rf"^service require\(\) alone:\s+{N} us per request",
            rf"^whole gateway request, median: {N} us with auth vs {N} us without -> {N} us added",
        ),
    ),
    "consumer_inproc": Bench(
        "inproc",
        90,
        tuple(
            rf"^\s*{name}:\s+{N} ms CPU/ticket$"
            for name in ("escalation", "notification", "sla-clock")
        ),
    ),
    "sql_layer_cost": Bench(
        "inproc",
        60,
        tuple(
            rf"^\s*{name}:\s+{N} µs of client CPU per statement$"
            for name in ("SQLAlchemy AsyncSession", "SQLAlchemy AsyncConnection", "asyncpg")
        ),
    ),
    "tracing_overhead": Bench(
        "inproc",
        60,
        (
            rf"^\s+bare endpoint\s+{N} µs\s+1\.00 × bare$",
            rf"^\s+tracing off\s+{N} µs\s+{N} × bare$",
            rf"^\s+spans exported\s+{N} µs\s+{N} × bare$",
            rf"^\s+export on costs {N} µs per request",
        ),
    ),
    "gateway_overhead": Bench(
        "inproc",
        120,
        (
            r'^\s+"201": 50$',
            rf'^\s+"cpu_us_per_request": {N},$',
            rf'^\s+"p99_ms": {N},$',
            rf'^\s+"requests_per_second": {N},$',
        ),
    ),
    "entitlement_checks": Bench(
        "inproc",
        120,
        (
            rf"^loaded {N} customers / {N} contacts in {N} s$",
            *(
                rf"^{phase}\. .* {N} checks/s\s+mean {N} ms\s+p50 {N}\s+p99 {N} ms"
                for phase in range(4)
            ),
            rf"^cache: {N} hits, {N} misses",
        ),
    ),
    # A Tansu broker of their own, the service under test in process or alone.
    "messaging_idle": Bench(
        "broker",
        90,
        (
            rf"^fetch_max_wait_ms=\s+50\s+idle CPU: broker\s+{N} ms/s, consumer\s+{N} ms/s\s+"
            rf"latency p50\s+{N} ms, p99\s+{N} ms \(\d+/3 seen\)$",
        ),
    ),
    "sla_timer_lag": Bench(
        "broker",
        120,
        (
            r"^scheduler fired 50 alarms",
            rf"^lag fire_at -> committed to outbox: n=50 p50={N} ms p99={N} ms",
            rf"^lag fire_at -> read from support\.sla\.v1: n=50 p50={N} ms p99={N} ms",
            rf"^late: {N} % of the fired alarms marked late$",
            r"^all fired: yes \(50 of 50, each once\)$",
            rf"^herd: 50 of 50 alarms due at once fired in {N} s = {N} alarms/s, "
            rf"CPU {N} us per alarm \(process {N}, PostgreSQL {N}\)$",
            rf"^bare endpoint: {N} requests in {N} s = {N} requests/s, "
            rf"CPU {N} us per request \(process {N}, PostgreSQL {N}\)$",
            rf"^alarms fired per bare request time: {N} \(goal >= 10\)$",
        ),
    ),
    "escalation_latency": Bench(
        "broker",
        120,
        (
            r"^10 breaches at 20/s; escalation\.raised for 10 tickets$",
            rf"escalation\.raised read: n=10 p50={N} ms p99={N} ms",
            r"^duplicates: 0; missing: 0$",
        ),
    ),
    "notification_throughput": Bench(
        "broker",
        120,
        (
            rf"^burst: 10 emails through the catcher in {N} s = {N} emails/s$",
            rf"^burst CPU of the loop's thread: {N} ms per email$",
            rf"^paced: 5 events at 10/s; event -> notification\.sent on the topic: "
            rf"p50 {N} ms, p99 {N} ms",
            r"^emails stored: 15 \(duplicates: 0\)$",
        ),
    ),
    "sse_fanout": Bench(
        "broker",
        120,
        (
            r"^3 SSE clients \+ 1 browser; 10 events at 10/s$",
            rf"^publish -> Python SSE client: n=10 p50={N} ms p99={N} ms",
            rf"^publish -> browser script\s*: n=\d+ p50={N} ms",
            rf"^burst of 100 events .* -> {N} events/s fanned out, {N} deliveries/s$",
            r"^browser received 100 of the 100$",
        ),
    ),
    "consumer_cost": Bench(
        "broker",
        150,
        (
            rf"^5 tickets, 85 events; published in {N} s, drained in {N} s$",
            *(
                rf"^\s*{name}:\s+{N} ms CPU/ticket \({N} raw, idle {N}/{N} ms/s before/after\), "
                rf"{N} events/s$"
                for name in ("escalation", "notification")
            ),
        ),
    ),
    # The whole platform as processes (deskstack), on a throwaway database and broker.
    "mail_intake": Bench(
        "stack",
        180,
        (
            r"^messages: 3 over 2 SMTP sessions",
            rf"^accepted by the listener: {N} messages/s \({N} s\)$",
            rf"^through to a ticket:\s+{N} messages/s \({N} s, 3 tickets\)$",
        ),
    ),
    "tickets_gateway": Bench(
        "stack",
        180,
        (
            rf"^\s+throughput\s+{N} tickets/s",
            rf"^\s+POST latency  p99\s+{N} ms$",
            rf"^\s+POST -> sla\.timer\.scheduled  p99\s+{N} ms$",
            r"^Steady load \(4 tickets at 4 tickets/s\)$",
        ),
    ),
    # `make run` itself (deskstack run, forked processes) on its usual ports and an
    # embedded PostgreSQL: up, measured, stopped with Ctrl-C.
    "stack_memory": Bench(
        "stack",
        180,
        (
            rf"^postgresql\s+\d+\s+{N}$",
            rf"^gateway\s+1\s+{N}$",
            rf"^whole stack \(fork\): {N} MB PSS \(goal <= 500 MB: (ok|MISSED)\)$",
        ),
    ),
    "page_cost": Bench(
        "stack",
        180,
        tuple(
            rf"^{re.escape(page)}\s+{N}\s+{N}\s+"
            for page in (
                "portal: ticket list",
                "portal: ticket page",
                "desk: queue",
                "desk: ticket page",
                "bare: GET /api/v1/tickets/{id}",
                "bare: GET /health/live",
            )
        ),
    ),
    "fuzz_gateway": Bench(
        "census",
        180,
        (rf"^fuzz: {N} cases sent, 0 answered 5xx", r"^fuzz: schemathesis exit code \d+"),
    ),
    # stack_cost runs against the session's stack (tests-e2e/conftest.py); statement_census
    # starts one on an embedded PostgreSQL of its own (--private-server), whose log it reads.
    "stack_cost": Bench(
        "census",
        150,
        (
            rf"^idle CPU of the stack\s+{N} ms/s",
            rf"^CPU per ticket \(idle subtracted\)\s+{N} ms",
            rf"^POST /tickets p99\s+{N} ms",
            rf"^POST -> sla\.timer\.scheduled p99\s+{N} ms",
            rf"^at a quarter: breach -> escalation p99\s+{N} ms",
            rf"^at a quarter: event -> email sent p99\s+{N} ms",
            # The timer's publication is the figure; what the bench's observer saw is beside it.
            rf"^quarter_timer_seen: POST -> timer as this bench's observer got it .* p99 {N} ms$",
            # Where in the phase the tail fell: one stall, or the steady state's own.
            rf"^quarter_tail: POST -> timer: the slowest \d+ of \d+ \(\d+-\d+ ms\) were sent "
            rf"within {N} s of each other",
            # Every breaching ticket of the quarter phase breached and was escalated.
            r"^quarter: \d+ sent .* errors \{\}; [1-9]\d* breached, 0 of them not escalated",
            r"^errors: \{\}$",  # no failed request, by status
            r"^tickets_without_timer: 0$",
            # --pids and --database reached the meter: the services and the backends count.
            rf"^\s+intake\s+{N}\s+{N}$",
            rf"^\s+postgres\s+{N}\s+{N}$",
        ),
    ),
    "statement_census": Bench(
        "census",
        180,
        (
            r"^tickets: [1-9]\d*$",
            r"^statements per ticket: [1-9][\d,]*\.\d$",
            rf"^\s+intake\s+{N}$",
            rf"^\s+BEGIN/COMMIT\s+{N}$",
        ),
    ),
}


def scripts() -> list[str]:
    """The bench scripts: every ``bench/*.py`` (``bench/stackcost`` and ``bench/smoke`` are modules)."""
    return sorted(p.stem for p in BENCH.glob("*.py"))


def of_group(group: str) -> list[str]:
    """The scripts one test file runs."""
    return [name for name, bench in SMOKE.items() if bench.group == group]


def run_bench(name: str, *args: str, server: str) -> str:
    """Run ``bench/<name>.py --smoke`` on the PostgreSQL server ``server``; check its figures.

    Returns its standard output. The script's own throwaway databases go on ``server`` (the
    session's server, as for tests that start a stack of their own).
    """
    bench = SMOKE[name]
    env = os.environ | {"TEST_DATABASE_URL": server, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, str(BENCH / f"{name}.py"), "--smoke", *args]
    # A session of its own: on a timeout the whole group (the script and the stack it
    # started) gets SIGINT, so the script's finally blocks stop the stack and drop the
    # database, and only then SIGKILL.
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=bench.timeout)
    except subprocess.TimeoutExpired:
        out, err = _interrupt(proc)
        raise AssertionError(f"{name} ran over {bench.timeout:.0f} s{_tail(out, err)}") from None
    assert proc.returncode == 0, f"{name} exited {proc.returncode}{_tail(out, err)}"
    missing = [p for p in bench.patterns if not re.search(p, out, re.MULTILINE)]
    assert not missing, f"{name} did not print {missing}{_tail(out, err)}"
    return out


def _interrupt(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGINT to the process group, SIGKILL 30 s later; what it had printed."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return proc.communicate()


def _tail(out: str, err: str) -> str:
    return f"\n--- stdout ---\n{out[-4000:]}\n--- stderr ---\n{err[-4000:]}"
