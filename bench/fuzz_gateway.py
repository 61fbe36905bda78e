"""A bounded schemathesis run against the gateway's merged OpenAPI document, admin key.

The run itself is ``shared.testing.fuzz`` (the e2e suite runs a short one too).
Starts the whole platform (``throwaway_stack``: every service and the gateway as
processes, a throwaway database, a fresh Tansu broker), points schemathesis at
``GET /openapi.json`` with the admin key, and runs the examples, coverage and
fuzzing phases for at most ``--max-time`` seconds and ``--max-examples`` cases per
operation, checking ``not_a_server_error``. Prints the operations, the requests
sent (from schemathesis' HAR report) and how many answered 5xx, with each 5xx's
method, path and status; exits 1 if there was any.

Usage: ``.venv/bin/python bench/fuzz_gateway.py [--max-time 300] [--max-examples 50] [--smoke]``.
"""

from __future__ import annotations

import argparse
import json
import sys

import smoke

from deskstack.stack import RunningStack, throwaway_stack
from shared.testing.fuzz import FuzzPlan, run_fuzz

# The fuzzer is not testing the rate limit: give the admin key a bucket it will not empty.
UNLIMITED = {"GATEWAY_RATE_LIMITS": json.dumps({"admin": {"per_second": 1e6, "burst": 10**6}})}


def fuzz(stack: RunningStack, *, max_time: int, max_examples: int, seed: int) -> int:
    """Run schemathesis; print the figures; return the number of 5xx answers."""
    plan = FuzzPlan(max_time=max_time, max_examples=max_examples, seed=seed)
    result = run_fuzz(stack.gateway_url, stack.admin_key, plan)
    print(result.schemathesis_summary())
    print()
    print(result.summary())
    return len(result.server_errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-time", type=int, default=300, help="seconds for the whole run")
    parser.add_argument("--max-examples", type=int, default=50, help="cases per operation")
    parser.add_argument("--seed", type=int, default=8)
    args = smoke.parse(parser, max_time=5, max_examples=1)
    with throwaway_stack(prefix="support_fuzz", extra_env={"gateway": UNLIMITED}) as stack:
        errors = fuzz(stack, max_time=args.max_time, max_examples=args.max_examples, seed=args.seed)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
