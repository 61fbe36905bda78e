"""The registry's replica ports and each process's environment (``deskstack.services``)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from deskstack.services import (
    LISTENERS,
    OPTIONAL,
    ListenerSpec,
    OptionalSpec,
    by_name,
    replica_name,
    replica_ports,
    service_env,
)


class TestReplicaPorts:
    def test_two_replicas_put_the_second_gateway_on_8081_and_others_on_free_ports(self) -> None:
        free = iter(range(40000, 40100))
        ports = replica_ports(2, free=lambda: next(free))

        assert ports["gateway"] == [8080, 8081]
        assert ports["intake"][0] == 8101
        assert len(ports["intake"]) == 2
        assert replica_name("intake", 0) == "intake"
        assert replica_name("intake", 1) == "intake.2"

    def test_every_client_is_given_every_replica(self) -> None:
        ports = {"gateway": [8080, 8081], "intake": [8101, 9101], "entitlement": [8102, 9102]}
        ports |= {"sla-clock": [8103, 9103], "escalation": [8104], "notification": [8105]}
        env = service_env(
            by_name("gateway"),
            database_url="postgresql://x/y",
            bootstrap="b:9092",
            idempotence=False,
            port_map=ports,
            port=8081,
        )

        assert env["GATEWAY_PORT"] == "8081"
        assert env["REPLICAS"] == "2"
        assert env["GATEWAY_INTAKE_URL"] == "http://127.0.0.1:8101,http://127.0.0.1:9101"
        assert env["GATEWAY_ESCALATION_URL"] == "http://127.0.0.1:8104"


class TestOptionalProcesses:
    def test_the_imap_poller_runs_only_when_its_host_is_set(self) -> None:
        [imap] = [spec for spec in OPTIONAL if spec.name == "intake-imap"]

        assert imap.command()[-3:] == ["-m", "intake", "imap"]
        assert not imap.enabled({})
        assert not imap.enabled({"INTAKE_IMAP__HOST": "  "})
        assert imap.enabled({"INTAKE_IMAP__HOST": "imap.example"})


class TestListeners:
    """What the deploys copy from the registry (docker-compose.yml, deploy/k8s) is true."""

    @pytest.mark.parametrize("spec", LISTENERS, ids=lambda s: s.name)
    def test_the_port_setting_is_the_services_and_defaults_to_the_port(
        self, monkeypatch: pytest.MonkeyPatch, spec: ListenerSpec
    ) -> None:
        monkeypatch.delenv(spec.port_env, raising=False)
        assert _setting(spec.service, spec.port_env) == spec.port

        monkeypatch.setenv(spec.port_env, "2626")
        assert _setting(spec.service, spec.port_env) == 2626

    @pytest.mark.parametrize("spec", OPTIONAL, ids=lambda s: s.name)
    def test_an_optional_process_is_enabled_by_a_setting_of_its_service(
        self, monkeypatch: pytest.MonkeyPatch, spec: OptionalSpec
    ) -> None:
        monkeypatch.setenv(spec.enabled_by, "imap.example")

        assert _setting(spec.service, spec.enabled_by) == "imap.example"


def _setting(service_name: str, variable: str) -> Any:
    """``variable`` as the service's settings read it: ``INTAKE_SMTP__PORT`` is ``smtp.port``."""
    service = by_name(service_name)
    assert variable.startswith(service.prefix)
    field, _, nested = variable.removeprefix(service.prefix).lower().partition("__")
    settings = importlib.import_module(f"{service.module}.config").Settings()
    return getattr(getattr(settings, field), nested)
