"""End-to-end fixtures: the whole platform started once per session, as ``make run`` does."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from deskstack.stack import RunningStack
from shared.testing.builders import key_client, make_customer
from shared.testing.infra import migrated_database


@pytest.fixture(scope="session")
def stack_database_url(
    postgres_server_url: str, migrate_database: Callable[[str], None]
) -> Iterator[str]:
    """The stack's own database, not the session's: with ``--dist loadfile`` a worker runs
    integration files after an e2e file while the session's stack still runs, and its
    workers (intake's mail processor, the schedulers) would take those tests' rows."""
    with migrated_database(postgres_server_url, migrate_database, prefix="support_e2e") as url:
        yield url


@pytest.fixture(scope="session")
def stack(stack_database_url: str, kafka_bootstrap: tuple[str, bool]) -> Iterator[RunningStack]:
    """Every service and the gateway, on free ports, over a database of their own and the
    session's broker."""
    bootstrap, idempotence = kafka_bootstrap
    running = RunningStack(
        database_url=stack_database_url, bootstrap=bootstrap, idempotence=idempotence
    )
    try:
        running.start_all()
        yield running
    finally:
        running.stop_all()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def api(stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the gateway with the admin key."""
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, headers=stack.admin_headers(), timeout=30
    ) as client:
        yield client


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def bot(api: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a customer's bot key (bound to a customer of its own; never an agent)."""
    customer = await make_customer(api)
    async with key_client(api, "bot", customer["id"]) as client:
        yield client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests-e2e" in str(item.path):
            item.add_marker(pytest.mark.e2e)
    # The fuzzer leaves customers, staff and rosters behind on the session's stack: last.
    items.sort(key=lambda item: item.get_closest_marker("fuzz") is not None)


CHROMIUM = "/usr/bin/chromium"  # Debian's package (make test installs it): nothing downloaded


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Headless chromium for one test file (the portal, desk and ops pages' tests)."""
    assert shutil.which(CHROMIUM), "chromium is missing: run `make test` (it installs it)"
    async with async_playwright() as p:
        launched = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()
