"""Bench scripts at smoke size that start the whole platform (``deskstack.stack.throwaway_stack``)."""

from __future__ import annotations

import pytest

from shared.testing.benchsmoke import of_group, run_bench


@pytest.mark.parametrize("name", of_group("stack"))
def test_runs_at_smoke_size(name: str, postgres_server_url: str) -> None:
    run_bench(name, server=postgres_server_url)
