"""Which service owns which path."""

from typing import Any

import httpx
import pytest
from starlette.routing import Match

from gateway.app import PROXY_FIRST, create_app
from gateway.routing import Upstream, service_for


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("tickets", "intake"),
        ("tickets/abc", "intake"),
        ("tickets/abc/sla", "sla-clock"),
        ("sla/preview", "sla-clock"),
        ("sla/report", "sla-clock"),
        ("intake/email", "intake"),
        ("queue", "intake"),
        ("customers/1/contacts", "entitlement"),
        ("entitlements", "entitlement"),
        ("tiers", "entitlement"),
        ("releases", "entitlement"),
        ("escalations/abc/acknowledge", "escalation"),
        ("escalation-policies", "escalation"),
        ("staff/abc", "escalation"),
        ("duty", "escalation"),
        ("notifications", "notification"),
        ("tickets/abc/notifications", "notification"),
        ("webhooks", "notification"),
        ("webhooks/abc/deliveries", "notification"),
    ],
)
def test_routes_each_prefix_to_its_service(path: str, service: str) -> None:
    assert service_for(path) == service


def test_unknown_prefix_has_no_service() -> None:
    assert service_for("ticketsx") is None
    assert service_for("admin") is None


def test_ticket_escalations_route_by_method() -> None:
    """GET reads escalation's record; POST (manual escalation) stays with intake."""
    assert service_for("tickets/abc/escalations", "GET") == "escalation"
    assert service_for("tickets/abc/escalations", "POST") == "intake"
    assert service_for("tickets/abc/escalations/x", "GET") == "intake"


def _upstream(base: str) -> Upstream:
    return Upstream(base=httpx.URL(base), transport=httpx.MockTransport(httpx.Response), timeout=1)


def _scope(raw_path: bytes, query: bytes = b"") -> dict[str, Any]:
    return {"path": raw_path.decode("latin-1"), "raw_path": raw_path, "query_string": query}


class TestUpstreamTarget:
    def test_keeps_the_path_and_query_as_the_client_encoded_them(self) -> None:
        target = _upstream("http://127.0.0.1:8101").target(
            _scope(b"/api/v1/kb/a%2Fb", b"q=a+b&x=%20")
        )

        assert target.raw_path == b"/api/v1/kb/a%2Fb?q=a+b&x=%20"
        assert (target.host, target.port) == ("127.0.0.1", 8101)

    def test_keeps_the_base_urls_own_path_in_front(self) -> None:
        target = _upstream("http://intake:8101/prefix/").target(_scope(b"/api/v1/tickets"))

        assert target.raw_path == b"/prefix/api/v1/tickets"

    def test_percent_encodes_bytes_outside_ascii(self) -> None:
        target = _upstream("http://127.0.0.1:8101").target(_scope(b"/api/v1/kb", b"q=\xe9"))

        assert target.raw_path == b"/api/v1/kb?q=%C3%A9"


def _paths(router: Any, prefix: str = "") -> list[str]:
    """Every route's full path, through FastAPI's included routers."""
    found: list[str] = []
    for route in router.routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _paths(included, prefix + (route.include_context.prefix or ""))
        else:
            found.append(prefix + route.path)
    return found


class TestServicePathsFirst:
    """``ServicePaths`` answers a service's paths before the router walks the others."""

    def test_no_gateway_route_lives_under_a_services_segment(self) -> None:
        own = [
            p
            for p in _paths(create_app().router)
            if p.startswith("/api/v1/") and p != "/api/v1/{path:path}"
        ]

        assert own  # keys, audit, stream...: the walk found them
        assert [p for p in own if service_for(p[8:].partition("/")[0])] == []

    @pytest.mark.parametrize(
        ("method", "path", "first"),
        [
            ("POST", "/api/v1/tickets", True),
            ("GET", "/api/v1/tickets/abc/sla", True),
            ("GET", "/api/v1/customers", True),
            ("GET", "/api/v1/api-keys", False),
            ("GET", "/api/v1/stream", False),
            ("GET", "/api/v1/ticketsx", False),
            ("GET", "/health/live", False),
        ],
    )
    def test_matches_only_the_services_paths(self, method: str, path: str, first: bool) -> None:
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}

        match, _ = PROXY_FIRST.matches(scope)

        assert (match == Match.FULL) is first
