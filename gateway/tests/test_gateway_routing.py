"""Which service owns which path."""

import pytest

from gateway.routing import service_for


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
        ("escalations/observed", "escalation"),
        ("notifications/observed", "notification"),
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
