"""Bench scripts at smoke size: the fuzzer, statement_census, and stack_cost on the session's stack.

stack_cost already measures a running stack (``--gateway``), so it reuses the session's
instead of booting one; statement_census starts its own on an embedded PostgreSQL
(``--private-server``, implied by ``--smoke``) so that it never reconfigures a shared server.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from deskstack.stack import RunningStack
from shared.settings import libpq_url
from shared.testing.benchsmoke import of_group, run_bench


def _running(stack: RunningStack) -> list[str]:
    """stack_cost's arguments for a running stack, its processes and database included."""
    pids = ",".join(f"{name}={proc.pid}" for name, proc in stack.procs.items())
    database = urlsplit(libpq_url(stack.database_url)).path.lstrip("/")
    return [
        *("--gateway", stack.gateway_url, "--admin-key", stack.admin_key),
        *("--bootstrap", stack.bootstrap, "--pids", pids, "--database", database),
    ]


@pytest.mark.parametrize("name", [n for n in of_group("census") if n != "stack_cost"])
def test_runs_at_smoke_size(name: str, postgres_server_url: str) -> None:
    run_bench(name, server=postgres_server_url)


def test_stack_cost_on_the_sessions_stack(stack: RunningStack, postgres_server_url: str) -> None:
    run_bench("stack_cost", *_running(stack), server=postgres_server_url)
