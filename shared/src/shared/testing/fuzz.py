"""A bounded schemathesis run against a gateway's merged OpenAPI document.

One implementation for ``bench/fuzz_gateway.py`` (a long run on a throwaway stack)
and the e2e test (a short run on the session's stack). Schemathesis runs as a
subprocess (its CLI is its stable interface) with the ``not_a_server_error`` check,
the examples, coverage and fuzzing phases, ``--max-time`` as the budget and a hard
kill past it; its HAR report gives the figures: requests sent, status classes, and
each 5xx with method and URL.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Operations a fuzzer must not reach on a shared stack: revoking or rotating a key
# could lock other clients out, and a webhook subscription would make notification
# call whatever address the fuzzer made up (the network beyond this machine is off
# limits).
UNSAFE_OPERATIONS: tuple[str, ...] = (
    "DELETE /api/v1/api-keys/{key_id}",
    "POST /api/v1/api-keys/{key_id}/rotation",
    "POST /api/v1/webhooks",
)


@dataclass
class FuzzResult:
    """What one run did: every request sent and the ones answered 5xx."""

    requests: int
    statuses: dict[int, int]
    server_errors: list[tuple[int, str, str]]  # (status, method, url)
    operations: int  # distinct method + path (ids filled in count apart)
    exit_code: int
    seconds_limit: int
    report_dir: Path
    output: str = field(repr=False, default="")
    timed_out: bool = False

    @property
    def operations_tested(self) -> tuple[int, int]:
        """(operations tested, operations in the document), from schemathesis' summary."""
        tested = re.search(r"^\s*Tested: (\d+)", self.output, re.M)
        selected = re.search(r"^\s*Selected: \d+/(\d+)", self.output, re.M)
        return (int(tested[1]) if tested else 0, int(selected[1]) if selected else 0)

    def summary(self) -> str:
        """The figures, in the lines the bench and the CI log print."""
        lines = [
            f"fuzz: {self.requests} cases sent, {len(self.server_errors)} answered 5xx, "
            f"{self.statuses.get(429, 0)} rate-limited "
            f"({self.operations_tested[0]} of {self.operations_tested[1]} operations, "
            f"{self.operations} distinct method+url; budget {self.seconds_limit} s"
            f"{'; killed at the hard limit' if self.timed_out else ''})",
            f"fuzz: status classes {dict(sorted(self.statuses.items()))}",
        ]
        lines += [f"  {s} {m} {u[:160]}" for s, m, u in self.server_errors[:20]]
        lines.append(f"fuzz: schemathesis exit code {self.exit_code}; report in {self.report_dir}")
        return "\n".join(lines)

    def schemathesis_summary(self) -> str:
        """Schemathesis' own SUMMARY section, and its ERRORS section if any."""
        lines = self.output.splitlines()
        start = next((i for i, ln in enumerate(lines) if "SUMMARY" in ln), max(0, len(lines) - 25))
        text = "\n".join(lines[start:])
        errors_at = next((i for i, ln in enumerate(lines) if ln.startswith("ERRORS")), None)
        if errors_at is not None:  # schemathesis' own failures (timeouts, unusable schema parts)
            text += "\n" + "\n".join(lines[errors_at : errors_at + 30])
        return text


@dataclass(frozen=True)
class FuzzPlan:
    """How long and how wide one run goes."""

    max_time: int  # seconds; schemathesis' budget for the whole run
    max_examples: int  # cases per operation and phase
    seed: int = 8
    workers: int = 2
    request_timeout: int = 20
    exclude: tuple[str, ...] = UNSAFE_OPERATIONS  # "METHOD /path" names
    rate_limit: str | None = None  # e.g. "45/s": stay under the key's bucket


def command(base_url: str, api_key: str, plan: FuzzPlan, report_dir: Path) -> list[str]:
    """The schemathesis command line (exposed so a test can check what is excluded)."""
    args = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {api_key}",
        "--checks",
        "not_a_server_error",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-time",
        str(plan.max_time),
        "--max-examples",
        str(plan.max_examples),
        "--seed",
        str(plan.seed),
        "--workers",
        str(plan.workers),
        "--request-timeout",
        str(plan.request_timeout),
        "--report",
        "har",
        "--report-dir",
        str(report_dir),
        "--warnings",
        "off",
        # No example database in the working tree: a run is its seed, nothing replayed.
        "--generation-database",
        "none",
    ]
    for name in plan.exclude:
        args += ["--exclude-name", name]
    if plan.rate_limit:
        args += ["--rate-limit", plan.rate_limit]
    return args


def run_fuzz(
    base_url: str, api_key: str, plan: FuzzPlan, *, hard_limit: float | None = None
) -> FuzzResult:
    """Run schemathesis for at most ``plan.max_time`` s (killed at ``hard_limit``); read the HAR."""
    report = Path(tempfile.mkdtemp(prefix="fuzz-gateway-"))
    args = command(base_url, api_key, plan, report)
    timed_out = False
    try:
        run = subprocess.run(args, capture_output=True, text=True, timeout=hard_limit)
        output, exit_code = run.stdout + run.stderr, run.returncode
    except subprocess.TimeoutExpired as exc:
        timed_out, exit_code = True, -9
        output = "".join(
            part.decode(errors="replace") if isinstance(part, bytes) else part or ""
            for part in (exc.stdout, exc.stderr)
        )
    (report / "schemathesis.txt").write_text(output)
    entries: list[Any] = []
    for har in report.glob("har-*.json"):
        entries += json.loads(har.read_text())["log"]["entries"]
    statuses = collections.Counter(int(e["response"]["status"]) for e in entries)
    errors = [
        (int(e["response"]["status"]), e["request"]["method"], e["request"]["url"])
        for e in entries
        if int(e["response"]["status"]) >= 500
    ]
    operations = {(e["request"]["method"], e["request"]["url"].split("?")[0]) for e in entries}
    return FuzzResult(
        requests=len(entries),
        statuses=dict(statuses),
        server_errors=errors,
        operations=len(operations),
        exit_code=exit_code,
        seconds_limit=plan.max_time,
        report_dir=report,
        output=output,
        timed_out=timed_out,
    )
