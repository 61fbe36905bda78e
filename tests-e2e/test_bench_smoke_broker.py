"""Bench scripts at smoke size that start a Tansu broker of their own (``shared.testing.benchsmoke``)."""

from __future__ import annotations

import pytest

from shared.testing.benchsmoke import of_group, run_bench


@pytest.mark.parametrize("name", of_group("broker"))
def test_runs_at_smoke_size(name: str, postgres_server_url: str) -> None:
    run_bench(name, server=postgres_server_url)
