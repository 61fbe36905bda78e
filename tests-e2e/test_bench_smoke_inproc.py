"""Bench scripts at smoke size, in process (PostgreSQL at most); and every script has an entry.

The table and the runner: ``shared.testing.benchsmoke``. The other groups are the
``test_bench_smoke_*.py`` beside this one (one file each, so the workers share them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.testing.benchsmoke import GROUPS, SMOKE, of_group, run_bench, scripts


@pytest.mark.parametrize("name", of_group("inproc"))
def test_runs_at_smoke_size(name: str, postgres_server_url: str) -> None:
    run_bench(name, server=postgres_server_url)


def test_every_bench_script_has_a_smoke_entry() -> None:
    assert scripts(), "no bench/*.py found"
    missing = sorted(set(scripts()) - set(SMOKE))
    assert not missing, f"add {missing} to SMOKE in shared/testing/benchsmoke.py"
    stale = sorted(set(SMOKE) - set(scripts()))
    assert not stale, f"SMOKE names scripts bench/ no longer has: {stale}"


def test_every_group_has_its_test_file() -> None:
    here = Path(__file__).parent
    assert {bench.group for bench in SMOKE.values()} <= set(GROUPS)
    for group in GROUPS:
        assert (here / f"test_bench_smoke_{group}.py").exists(), group
