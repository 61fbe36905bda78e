"""A bounded schemathesis run over the gateway's merged OpenAPI document: no 5xx.

Runs on the session's stack with an admin key of its own (its own rate-limit bucket,
nothing the other tests hold can be revoked through it), without the operations in
``shared.testing.fuzz.UNSAFE_OPERATIONS``, and last in the session (conftest), since
it leaves customers, staff and duty rosters behind. The budget is ``FUZZ_SECONDS``
(schemathesis' ``--max-time``) and the process is killed at ``FUZZ_HARD_LIMIT``; the
figures (cases sent, 5xx answers) are printed to the terminal, so the CI log shows
them. ``bench/fuzz_gateway.py`` runs the same thing longer on a throwaway stack.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.testing.fuzz import UNSAFE_OPERATIONS, FuzzPlan, command, run_fuzz

pytestmark = [pytest.mark.e2e, pytest.mark.fuzz]

FUZZ_SECONDS = int(os.environ.get("FUZZ_SECONDS", "60"))
FUZZ_HARD_LIMIT = FUZZ_SECONDS + 25  # <= 90 s with the default budget
# Under the key's bucket (admin: 50/s): the rate limit is not the thing under test.
PLAN = FuzzPlan(max_time=FUZZ_SECONDS, max_examples=5, rate_limit="45/s")


def _fuzz_key(stack: RunningStack) -> str:
    r = httpx.post(
        f"{stack.gateway_url}/api/v1/api-keys",
        headers=stack.admin_headers(),
        json={"name": "fuzz", "role": "admin"},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    key: str = r.json()["key"]
    return key


def test_the_fuzzer_skips_the_unsafe_operations(tmp_path: Path) -> None:
    args = command("http://x", "k", PLAN, tmp_path)
    excluded = [args[i + 1] for i, a in enumerate(args) if a == "--exclude-name"]
    assert excluded == list(UNSAFE_OPERATIONS)
    assert "DELETE /api/v1/api-keys/{key_id}" in excluded


def test_no_input_gets_a_5xx(stack: RunningStack, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    result = run_fuzz(stack.gateway_url, _fuzz_key(stack), PLAN, hard_limit=FUZZ_HARD_LIMIT)
    took = time.monotonic() - started
    with capsys.disabled():
        print(f"\n{result.summary()}\nfuzz: took {took:.0f} s")  # noqa: T201 (for the CI log)
    assert not result.timed_out, result.schemathesis_summary()
    assert result.requests > 0, result.schemathesis_summary()
    tested, total = result.operations_tested
    # All 73 safe ones on the development machine; half leaves room for a slower one.
    assert tested >= total // 2 > 0, f"only {tested} of {total} operations reached"
    assert result.server_errors == [], result.summary()
    # Still serving after the run (no request left a service broken).
    r = httpx.get(f"{stack.gateway_url}/health/ready", timeout=10)
    assert r.status_code == 200, r.text
