"""deploy/alertmanager: the routing tree parses, names only receivers it defines, and sends
each rule of deploy/prometheus/alerts.yml where its severity and team say.

``amtool`` is not available here, so the test walks the tree as Alertmanager does: a
child route takes an alert when all its matchers match; the first such child wins
unless it says ``continue``; an alert no child takes stays with the parent's receiver.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from deskstack.services import ROOT

CONFIG = ROOT / "deploy" / "alertmanager" / "alertmanager.yml"
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
SECRETS = "/etc/alertmanager/secrets/"
TOP_LEVEL = {"global", "route", "receivers", "inhibit_rules", "templates", "time_intervals"}
MATCHER = re.compile(r'^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$')


def _config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CONFIG.read_text())
    return data


def _rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def _matches(matchers: list[str], labels: dict[str, str]) -> bool:
    for text in matchers:
        found = MATCHER.match(text)
        assert found, f"not an Alertmanager matcher: {text!r}"
        name, op, value = found.groups()
        have = labels.get(name, "")
        ok = {
            "=": have == value,
            "!=": have != value,
            "=~": re.fullmatch(value, have) is not None,
            "!~": re.fullmatch(value, have) is None,
        }[op]
        if not ok:
            return False
    return True


def _receivers_for(route: dict[str, Any], labels: dict[str, str], inherited: str) -> list[str]:
    receiver = route.get("receiver", inherited)
    found: list[str] = []
    for child in route.get("routes", []):
        if _matches(child.get("matchers", []), labels):
            found += _receivers_for(child, labels, receiver)
            if not child.get("continue", False):
                break
    return found or [receiver]


def _routes(route: dict[str, Any]) -> list[dict[str, Any]]:
    return [route, *(r for child in route.get("routes", []) for r in _routes(child))]


def _receivers() -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in _config()["receivers"]}


def test_parses_with_known_sections_only() -> None:
    config = _config()

    assert set(config) <= TOP_LEVEL
    assert config["route"]["receiver"]
    assert len(_receivers()) == len(config["receivers"])  # names are unique


def test_every_route_names_a_receiver_that_exists_and_every_receiver_is_used() -> None:
    routes = _routes(_config()["route"])
    named = {r["receiver"] for r in routes if "receiver" in r}

    assert named == set(_receivers())
    for route in routes:
        for matcher in route.get("matchers", []):
            assert MATCHER.match(matcher), matcher
        assert "match" not in route
        assert "match_re" not in route


def test_each_receiver_sends_somewhere_and_reads_secrets_from_files() -> None:
    for name, receiver in _receivers().items():
        configs = receiver.get("email_configs", []) + receiver.get("webhook_configs", [])
        assert configs, name
        for email in receiver.get("email_configs", []):
            assert "@" in email["to"], name
        for hook in receiver.get("webhook_configs", []):
            assert "url" not in hook, f"{name}: a webhook URL holds a token: use url_file"
            assert hook["url_file"].startswith(SECRETS), name
    assert "smtp_auth_password" not in _config()["global"]
    for path in re.findall(r"_file: (\S+)", CONFIG.read_text()):
        assert path.startswith(SECRETS), path


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r["alert"])
def test_each_rule_reaches_its_teams_receiver_by_severity(rule: dict[str, Any]) -> None:
    labels = {"alertname": rule["alert"], **rule["labels"]}
    config = _config()

    [receiver] = _receivers_for(config["route"], labels, config["route"]["receiver"])

    team, severity = labels["team"], labels["severity"]
    assert team in receiver, (rule["alert"], receiver)
    sends = _receivers()[receiver]
    if severity == "page":  # wakes someone: the on-call webhook, and a mail for the record
        assert sends.get("webhook_configs"), receiver
        assert sends.get("email_configs"), receiver
    else:  # read in working hours
        assert "webhook_configs" not in sends, receiver
        assert sends["email_configs"], receiver


def test_every_route_is_reached_by_some_rule() -> None:
    config = _config()
    reached = {
        receiver
        for rule in _rules()
        for receiver in _receivers_for(
            config["route"], {"alertname": rule["alert"], **rule["labels"]}, ""
        )
    }
    children = {r["receiver"] for r in _routes(config["route"])[1:]}

    assert children <= reached


def test_a_rule_without_labels_still_reaches_the_default_receiver() -> None:
    config = _config()

    assert _receivers_for(config["route"], {"alertname": "New"}, "") == [
        config["route"]["receiver"]
    ]
