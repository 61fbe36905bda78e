"""A bounded schemathesis run against the gateway's merged OpenAPI document, admin key.

Starts the whole platform (``throwaway_stack``: every service and the gateway as
processes, a throwaway database, a fresh Tansu broker), points schemathesis at
``GET /openapi.json`` with the admin key, and runs the examples, coverage and
fuzzing phases for at most ``--max-time`` seconds and ``--max-examples`` cases per
operation, checking ``not_a_server_error``. Prints the operations, the requests
sent (from schemathesis' HAR report) and how many answered 5xx, with each 5xx's
method, path and status; exits 1 if there was any.

Usage: ``.venv/bin/python bench/fuzz_gateway.py [--max-time 300] [--max-examples 50]``.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from shared.testing.stack import RunningStack, throwaway_stack

# The fuzzer is not testing the rate limit: give the admin key a bucket it will not empty.
UNLIMITED = {"GATEWAY_RATE_LIMITS": json.dumps({"admin": {"per_second": 1e6, "burst": 10**6}})}


def fuzz(stack: RunningStack, *, max_time: int, max_examples: int, seed: int) -> int:
    """Run schemathesis; print the figures; return the number of 5xx answers."""
    report = Path(tempfile.mkdtemp(prefix="fuzz-gateway-"))
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{stack.gateway_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {stack.admin_key}",
        "--checks",
        "not_a_server_error",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-time",
        str(max_time),
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--workers",
        "2",
        "--request-timeout",
        "20",
        "--report",
        "har",
        "--report-dir",
        str(report),
        "--warnings",
        "off",
    ]
    run = subprocess.run(command, capture_output=True, text=True)
    (report / "schemathesis.txt").write_text(run.stdout + run.stderr)
    lines = run.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if "SUMMARY" in line), max(0, len(lines) - 25))
    print("\n".join(lines[start:]))
    errors_at = next((i for i, line in enumerate(lines) if line.startswith("ERRORS")), None)
    if errors_at is not None:  # schemathesis' own failures (timeouts, unusable schema parts)
        print("\n".join(lines[errors_at : errors_at + 30]))
    entries = []
    for har in report.glob("har-*.json"):
        entries += json.loads(har.read_text())["log"]["entries"]
    statuses = collections.Counter(e["response"]["status"] for e in entries)
    errors = [e for e in entries if e["response"]["status"] >= 500]
    operations = {(e["request"]["method"], e["request"]["url"].split("?")[0]) for e in entries}
    print(f"\nrequests sent: {len(entries)} (distinct method+url: {len(operations)})")
    print(f"status classes: {dict(sorted(statuses.items()))}")
    print(f"5xx answers: {len(errors)}")
    for e in errors[:20]:
        print(f"  {e['response']['status']} {e['request']['method']} {e['request']['url'][:160]}")
    print(f"schemathesis exit code {run.returncode}; HAR report in {report}")
    return len(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-time", type=int, default=300, help="seconds for the whole run")
    parser.add_argument("--max-examples", type=int, default=50, help="cases per operation")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    with throwaway_stack(prefix="support_fuzz", extra_env={"gateway": UNLIMITED}) as stack:
        errors = fuzz(stack, max_time=args.max_time, max_examples=args.max_examples, seed=args.seed)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
