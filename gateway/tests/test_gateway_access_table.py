"""Every route's one role check agrees with docs/access-table.yaml, and the doc is current."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from deskstack import access
from gateway import accounts_api, audit, keys_api, metrics, stream
from gateway.web import desk, portal, session_api
from notification.api import internal as notification_internal
from shared.audit import internal_router

TABLE = access.load()


def _gateway_and_shared_routes() -> Iterator[tuple[access.Route, list[Any]]]:
    routers = [
        ("", keys_api.router()),
        ("", audit.router()),
        ("", stream.router()),
        ("", metrics.router()),
        ("", portal.router()),
        ("", desk.router()),
        ("", accounts_api.router()),
        ("", session_api.router()),
    ]
    routers += [("", internal_router(service="any", schema="any"))]
    routers += [("", notification_internal.router)]  # the gateway's mail (docs/web.md)
    for prefix, router in routers:
        for route in router.routes:
            checks = [
                d.call for d in route.dependant.dependencies if hasattr(d.call, "allowed_roles")
            ]
            for method in route.methods:
                yield (method, prefix + route.path), checks


ROUTES = dict([*access.service_routes(), *_gateway_and_shared_routes()])


@pytest.mark.parametrize("route", sorted(ROUTES), ids=" ".join)
def test_each_route_has_one_role_check_matching_the_table(route: access.Route) -> None:
    checks = ROUTES[route]

    assert len(checks) == 1, f"{route}: {len(checks)} require(...) dependencies"
    assert route in TABLE, f"{route} is missing from docs/access-table.yaml"
    assert checks[0].allowed_roles == TABLE[route].roles


def test_every_route_of_the_table_exists_or_is_public() -> None:
    stale = {r for r, rule in TABLE.items() if r not in ROUTES and not rule.public}

    assert not stale, f"in docs/access-table.yaml but no such route: {sorted(stale)}"


def test_customer_roles_reach_only_scoped_routes() -> None:
    loose = [
        r for r, rule in TABLE.items() if rule.roles & {"customer", "bot"} and rule.scope == "staff"
    ]

    assert not loose, f"routes open to customer keys must say scope own or none: {loose}"


def test_the_doc_shows_the_current_table() -> None:
    assert access.main([]) == 0, "run: python -m deskstack.access --write"
