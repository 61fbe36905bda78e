"""The pytest plugin of the project: session-wide PostgreSQL and broker fixtures.

Integration tests mark themselves ``postgres`` / ``kafka`` and ask for
``database_url`` (a fresh, migrated database) or ``kafka_settings``.

``shared`` does not know the services, so it cannot migrate their schemas itself: the
project using this plugin provides a session fixture ``migrate_database`` (a function of a
database URL; the root ``conftest.py`` gives ``deskstack.services.migrate_all``).
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import pgconnect
from shared.settings import KafkaSettings
from shared.testing.infra import (
    Servers,
    kafka_brokers,
    migrated_database,
    postgres_server,
)

# A random id in a test's parameters (``/api/v1/webhooks/{uuid4()}``) would name the test
# differently in every process; pytest-xdist's workers must all collect the same names.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Name a parameter holding a random UUID the same way in every worker."""
    if isinstance(val, uuid.UUID):
        return "uuid"
    if isinstance(val, str) and _UUID.search(val):
        return _UUID.sub("{id}", val)
    return None


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server's maintenance database URL for the whole session."""
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[tuple[str, bool]]:
    """A broker for the whole session, with every platform topic created."""
    from shared.events.topics import ALL_TOPICS
    from shared.messaging.kafka import ensure_topics

    with kafka_brokers() as (bootstrap, idempotence):
        asyncio.run(ensure_topics(_settings(bootstrap, idempotence), ALL_TOPICS))
        yield bootstrap, idempotence


def _settings(bootstrap: str, idempotence: bool) -> KafkaSettings:
    """A named cluster gets the platform's ``KAFKA_*`` security settings; our own Tansu none."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return KafkaSettings.from_env(bootstrap_servers=bootstrap, enable_idempotence=idempotence)
    return KafkaSettings(bootstrap_servers=bootstrap, enable_idempotence=idempotence)


@pytest.fixture(scope="session")
def kafka_settings(kafka_bootstrap: tuple[str, bool]) -> KafkaSettings:
    bootstrap, idempotence = kafka_bootstrap
    return _settings(bootstrap, idempotence)


@pytest.fixture(scope="session")
def servers(postgres_server_url: str, kafka_bootstrap: tuple[str, bool]) -> Servers:
    bootstrap, idempotence = kafka_bootstrap
    return Servers(server_url=postgres_server_url, bootstrap=bootstrap, idempotence=idempotence)


@pytest.fixture(scope="session")
def database_url(
    postgres_server_url: str, migrate_database: Callable[[str], None]
) -> Iterator[str]:
    """A fresh database with every service's schema migrated, for the whole session."""
    with migrated_database(postgres_server_url, migrate_database) as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the session's database."""
    engine = pgconnect.create_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()
