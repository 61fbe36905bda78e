"""The PromQL tokenizer the dashboard and alert tests trust to name every metric read."""

from __future__ import annotations

import pytest

from shared.testing.promql import exposed_names, is_exposed, metric_names


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ("up", {"up"}),
        ('rate(http_requests_total{status=~"5.."}[$__rate_interval])', {"http_requests_total"}),
        (
            "histogram_quantile(0.95, sum by (route, le) (rate(latency_bucket[5m])))",
            {"latency_bucket"},
        ),
        ("a_total / on (x) group_left (y) b_total * 1e3", {"a_total", "b_total"}),
        ('x{kind="breach"} > x{kind="breach"} offset 15m and y > 0', {"x", "y"}),
        ("sum without (instance) (z) unless w", {"z", "w"}),
        ('count(label_replace(m, "by", "$1", "sum", "(.*)"))', {"m"}),
        ("max_over_time(q[1h:5m])", {"q"}),
    ],
)
def test_names_every_metric_and_nothing_else(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


def test_an_exposition_names_its_families_and_samples() -> None:
    text = (
        "# HELP req_total Requests.\n# TYPE req_total counter\n"
        'req_total{route="/a"} 3.0\n'
        "# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n"
        'lat_seconds_bucket{le="+Inf"} 1.0\nlat_seconds_sum 0.2\nlat_seconds_count 1.0\n'
        "# HELP idle Nothing yet.\n# TYPE idle gauge\n"
    )

    exposed = exposed_names(text)

    assert {"req_total", "lat_seconds", "lat_seconds_bucket", "idle"} <= exposed
    assert is_exposed("lat_seconds_count", exposed)
    assert is_exposed("idle", exposed)  # declared, no sample yet: still a name
    assert not is_exposed("req", exposed)
    assert not is_exposed("nothing_bucket", exposed)
