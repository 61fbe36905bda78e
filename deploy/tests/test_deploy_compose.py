"""docker-compose.yml cannot run here (no Docker engine); check its structure instead.

What `docker compose up` would refuse or get wrong shows in the YAML: a required variable
the README's command does not set, a published port or container name that stops a service
from scaling, a broker cluster that cannot form or keeps fewer copies than it says.
"""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from deskstack.services import (
    LISTENERS,
    OPTIONAL,
    ROOT,
    SERVICES,
    ListenerSpec,
    OptionalSpec,
    by_name,
)
from gateway.config import Settings as GatewaySettings

COMPOSE = ROOT / "docker-compose.yml"
BROKERS = ("kafka-1", "kafka-2", "kafka-3")
INFRA = {"postgres", *BROKERS, "mailpit", "prometheus", "alertmanager", "grafana", "init"}
# What may publish a port on the host: the public entry, inbound mail and the UIs. Nothing
# else, so `docker compose up --scale <service>=N` never fights over a host port.
PUBLISHED = {
    "gateway": ["8080:8080"],
    "intake-smtp": ["2525:2525"],
    "mailpit": ["8025:8025"],
    "prometheus": ["9090:9090"],
    "alertmanager": ["9093:9093"],
    "grafana": ["3000:3000"],
}
BEHIND_THE_GATEWAY = [s for s in SERVICES if s.name != "gateway"]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def _env(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in service["environment"].items()}


def _as_handed_over(env: dict[str, str]) -> dict[str, str]:
    """The environment compose hands a container when nothing is set: ``${X:-d}`` is d."""
    return {k: re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", v) for k, v in env.items()}


def _readme_command_variables() -> set[str]:
    """The variables the README's compose command sets, e.g. ``A=... B=... docker compose up``."""
    readme = (ROOT / "README.md").read_text()
    [line] = [ln for ln in readme.splitlines() if "docker compose up --build" in ln]
    command = line[line.index("`") + 1 :]
    command = command[: command.index("docker compose up --build")]
    return set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", command))


class TestComposeMatchesLocalStack:
    def test_has_every_platform_process_and_the_infrastructure(
        self, compose: dict[str, Any]
    ) -> None:
        processes = {s.name for s in (*SERVICES, *LISTENERS, *OPTIONAL)}
        assert set(compose["services"]) == INFRA | processes

    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_each_service_runs_its_module_on_its_port(
        self, compose: dict[str, Any], spec: Any
    ) -> None:
        service = compose["services"][spec.name]
        env = _env(service)
        assert service["command"] == ["python", "-m", spec.module, "api"]
        assert env[f"{spec.prefix}PORT"] == str(spec.port)
        assert env["PORT"] == str(spec.port)
        assert env[f"{spec.prefix}HOST"] == "0.0.0.0"
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == ",".join(f"{b}:9092" for b in BROKERS)
        assert env["KAFKA_ENABLE_IDEMPOTENCE"] == "true"  # Apache Kafka supports it
        assert env["KAFKA_SECURITY_PROTOCOL"] == "PLAINTEXT"
        # The gateway and every service share the internal-hop secret (docs/access-control.md).
        assert env["INTERNAL_TOKEN"].startswith("${INTERNAL_TOKEN:?")

    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_each_service_waits_for_init_and_healthy_servers(
        self, compose: dict[str, Any], spec: Any
    ) -> None:
        service = compose["services"][spec.name]
        deps = service["depends_on"]
        assert deps["init"]["condition"] == "service_completed_successfully"
        assert deps["postgres"]["condition"] == "service_healthy"
        for broker in BROKERS:
            assert deps[broker]["condition"] == "service_healthy"
        assert "/health/ready" in " ".join(service["healthcheck"]["test"])

    def test_init_migrates_and_creates_topics_with_three_copies(
        self, compose: dict[str, Any]
    ) -> None:
        init = compose["services"]["init"]
        env = _env(init)
        assert init["command"] == ["python", "-m", "deskstack", "init"]
        assert init["restart"] == "no"
        assert (env["KAFKA_TOPIC_REPLICATION_FACTOR"], env["KAFKA_TOPIC_MIN_INSYNC_REPLICAS"]) == (
            "3",
            "2",
        )
        assert {b: init["depends_on"][b]["condition"] for b in BROKERS} == dict.fromkeys(
            BROKERS, "service_healthy"
        )

    def test_gateway_reaches_each_service_by_its_compose_name(
        self, compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for key, value in _as_handed_over(_env(compose["services"]["gateway"])).items():
            monkeypatch.setenv(key, value)
        upstreams = GatewaySettings().upstreams()
        for spec in BEHIND_THE_GATEWAY:
            assert upstreams[spec.name] == f"http://{spec.name}:{spec.port}"

    def test_image_builds_from_the_repository(self, compose: dict[str, Any]) -> None:
        build = compose["services"]["gateway"]["build"]
        assert build["context"] == "."
        assert (ROOT / build["dockerfile"]).is_file()


class TestMailIn:
    """intake's SMTP listener runs as ``make run`` runs it; the IMAP poller under a profile."""

    @pytest.mark.parametrize("spec", LISTENERS, ids=lambda s: s.name)
    def test_each_listener_runs_its_subcommand_on_its_published_port(
        self, compose: dict[str, Any], spec: ListenerSpec
    ) -> None:
        service = compose["services"][spec.name]
        env = _env(service)
        module = by_name(spec.service).module

        assert service["command"] == ["python", "-m", module, spec.subcommand]
        assert env[spec.port_env] == str(spec.port)
        assert env[spec.port_env.replace("__PORT", "__HOST")] == "0.0.0.0"
        assert env["DATABASE_URL"] == _env(compose["services"][spec.service])["DATABASE_URL"]
        assert service["ports"] == [f"{spec.port}:{spec.port}"]
        assert service["restart"] == "unless-stopped"
        deps = service["depends_on"]
        assert deps["init"]["condition"] == "service_completed_successfully"
        assert deps["postgres"]["condition"] == "service_healthy"

    def test_the_listener_healthcheck_passes_on_a_listener_and_fails_without_one(
        self, compose: dict[str, Any]
    ) -> None:
        [spec] = LISTENERS
        check = compose["services"][spec.name]["healthcheck"]["test"]
        assert check[0] == "CMD"
        assert "/health" not in " ".join(check)  # no HTTP on an SMTP listener

        def run(port: int) -> int:
            command = [part.replace(str(spec.port), str(port)) for part in check[1:]]
            assert command[0] == "python"
            return subprocess.run(
                [sys.executable, *command[1:]], capture_output=True, timeout=20, check=False
            ).returncode

        port = _unused_port()
        assert run(port) != 0
        assert _with_an_smtp_listener(run, port) == 0

    @pytest.mark.parametrize("spec", OPTIONAL, ids=lambda s: s.name)
    def test_an_optional_process_runs_only_under_its_profile(
        self, compose: dict[str, Any], spec: OptionalSpec
    ) -> None:
        service = compose["services"][spec.name]
        module = by_name(spec.service).module

        assert service["profiles"] == [spec.subcommand]
        assert service["command"] == ["python", "-m", module, spec.subcommand]
        # Its setting comes from the shell, unset when the shell has none (no `${X:-}`).
        assert spec.enabled_by in service["environment"]
        assert service["environment"][spec.enabled_by] is None
        # Unconfigured it exits 0: not restarted forever.
        assert service["restart"] == "on-failure"
        assert "ports" not in service

    def test_intake_and_its_mail_processes_share_the_support_addresses(
        self, compose: dict[str, Any]
    ) -> None:
        names = ["intake", *(s.name for s in (*LISTENERS, *OPTIONAL) if s.service == "intake")]
        values = {_env(compose["services"][n])["INTAKE_SUPPORT_ADDRESSES"] for n in names}

        assert values == {"${INTAKE_SUPPORT_ADDRESSES:-support@support-desk.local}"}


def _unused_port() -> int:
    with socket.socket() as probe:  # nothing listens on it once it is closed
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _with_an_smtp_listener(check: Callable[[int], int], port: int) -> int:
    """Run ``check(port)`` while intake's SMTP listener answers on ``port``."""
    from intake.config import Settings as IntakeSettings
    from intake.smtp import start_server

    async def refuse(*_: object) -> Any:
        raise AssertionError("the healthcheck sends no mail")

    async def main() -> int:
        server, _ = await start_server(IntakeSettings(), refuse, port=port)
        try:
            return await asyncio.to_thread(check, port)
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


class TestKafkaCluster:
    """Three brokers, each a KRaft controller too: a quorum of three voters."""

    def test_three_apache_kafka_brokers_in_kraft_mode(self, compose: dict[str, Any]) -> None:
        envs = [_env(compose["services"][b]) for b in BROKERS]
        for broker, env in zip(BROKERS, envs, strict=True):
            assert compose["services"][broker]["image"].startswith("apache/kafka:")
            assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
            assert env["KAFKA_ADVERTISED_LISTENERS"] == f"PLAINTEXT://{broker}:9092"
            assert "healthcheck" in compose["services"][broker]
        assert sorted(env["KAFKA_NODE_ID"] for env in envs) == ["1", "2", "3"]
        voters = {
            f"{env['KAFKA_NODE_ID']}@{broker}:9093"
            for broker, env in zip(BROKERS, envs, strict=True)
        }
        for env in envs:  # one cluster: the same voters and id everywhere
            assert set(env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == voters
            assert env["CLUSTER_ID"] == envs[0]["CLUSTER_ID"]
            assert "CONTROLLER://:9093" in env["KAFKA_LISTENERS"].split(",")

    def test_every_topic_keeps_three_copies_and_writes_need_two(
        self, compose: dict[str, Any]
    ) -> None:
        for broker in BROKERS:
            env = _env(compose["services"][broker])
            assert env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3"
            assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
            assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
            assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "3"
            assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "2"
            # Topics come from `deskstack init`, the same list the local stack creates.
            assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"

    def test_each_broker_keeps_its_log_in_its_own_volume(self, compose: dict[str, Any]) -> None:
        mounts = [compose["services"][b]["volumes"] for b in BROKERS]
        assert mounts == [[f"{b}:/var/lib/kafka/data"] for b in BROKERS]
        assert set(BROKERS) <= set(compose["volumes"])


class TestScaling:
    """`docker compose up --scale <service>=2` works for every service behind the gateway."""

    def test_no_container_names(self, compose: dict[str, Any]) -> None:
        assert [n for n, s in compose["services"].items() if "container_name" in s] == []

    def test_only_the_gateway_and_the_uis_publish_ports(self, compose: dict[str, Any]) -> None:
        published = {n: s["ports"] for n, s in compose["services"].items() if "ports" in s}
        assert published == PUBLISHED

    @pytest.mark.parametrize("spec", BEHIND_THE_GATEWAY, ids=lambda s: s.name)
    def test_a_scaled_service_is_found_by_its_name(
        self, compose: dict[str, Any], spec: Any
    ) -> None:
        # Peers and the gateway use the compose name, which answers with every replica.
        service = compose["services"][spec.name]
        assert "ports" not in service
        assert "hostname" not in service
        gateway_env = _env(compose["services"]["gateway"])
        key = f"GATEWAY_{spec.name.upper().replace('-', '_')}_URL"
        assert gateway_env[key] == f"http://{spec.name}:{spec.port}"

    def test_services_say_how_many_replicas_run(self, compose: dict[str, Any]) -> None:
        for spec in SERVICES:
            assert _env(compose["services"][spec.name])["REPLICAS"] == "${REPLICAS:-1}"


class TestReadmeCommandWorks:
    """`ADMIN_API_KEY=... INTERNAL_TOKEN=... docker compose up --build`, as written."""

    def test_every_required_variable_is_set_by_the_readme_command(self) -> None:
        required = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", COMPOSE.read_text()))
        assert required == _readme_command_variables() == {"ADMIN_API_KEY", "INTERNAL_TOKEN"}

    def test_every_other_variable_has_a_default(self) -> None:
        references = re.findall(r"\$\{([^}]*)\}", COMPOSE.read_text())
        assert references
        for ref in references:
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*:?[?-].+", ref), ref
        assert not re.search(r"\$[A-Za-z_]", COMPOSE.read_text())  # no bare $VAR

    def test_mail_goes_to_the_catcher_unless_smtp_url_is_set(self, compose: dict[str, Any]) -> None:
        notification = compose["services"]["notification"]
        assert _env(notification)["SMTP_URL"] == "${SMTP_URL:-smtp://mailpit:1025}"
        assert notification["depends_on"]["mailpit"]["condition"] == "service_started"
        assert compose["services"]["mailpit"]["image"].startswith("axllent/mailpit:")


class TestPrometheus:
    def test_runs_the_repository_config_and_rules(self, compose: dict[str, Any]) -> None:
        prometheus = compose["services"]["prometheus"]
        assert prometheus["image"].startswith("prom/prometheus:")
        mounts = {v.split(":")[1]: v.split(":")[0] for v in prometheus["volumes"]}
        assert mounts == {
            "/etc/prometheus/prometheus.yml": "./deploy/prometheus/prometheus.yml",
            "/etc/prometheus/alerts.yml": "./deploy/prometheus/alerts.yml",
        }
        for source in mounts.values():
            assert (ROOT / source).is_file()

    def test_gets_the_admin_key_where_its_config_reads_it(self, compose: dict[str, Any]) -> None:
        assert compose["services"]["prometheus"]["secrets"] == ["gateway-admin-key"]
        assert compose["secrets"]["gateway-admin-key"] == {"environment": "ADMIN_API_KEY"}
        config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
        [gateway] = [j for j in config["scrape_configs"] if j["job_name"] == "gateway"]
        # A compose secret without a target lands in /run/secrets/<name>.
        assert gateway["authorization"]["credentials_file"] == "/run/secrets/gateway-admin-key"

    def test_scrapes_the_compose_names(self, compose: dict[str, Any]) -> None:
        config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
        names = {
            name
            for job in config["scrape_configs"]
            for sd in job["dns_sd_configs"]
            for name in sd["names"]
        }
        assert names == {s.name for s in SERVICES} <= set(compose["services"])

    def test_sends_alerts_to_the_compose_alertmanager(self, compose: dict[str, Any]) -> None:
        config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
        [manager] = config["alerting"]["alertmanagers"]
        [targets] = [c["targets"] for c in manager["static_configs"]]
        assert targets == ["alertmanager:9093"]
        assert "alertmanager" in compose["services"]


class TestAlertmanagerAndGrafana:
    def test_alertmanager_runs_the_repository_config(self, compose: dict[str, Any]) -> None:
        manager = compose["services"]["alertmanager"]
        assert manager["image"].startswith("prom/alertmanager:")
        assert manager["volumes"] == [
            "./deploy/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro"
        ]

    def test_alertmanager_gets_every_secret_file_its_config_reads(
        self, compose: dict[str, Any]
    ) -> None:
        config = (ROOT / "deploy/alertmanager/alertmanager.yml").read_text()
        read = set(re.findall(r"_file: (\S+)", config))
        mounted = {s["target"]: s["source"] for s in compose["services"]["alertmanager"]["secrets"]}
        assert read == set(mounted)
        for source in mounted.values():
            default = re.fullmatch(r"\$\{[A-Z_]+:-(.+)\}", compose["secrets"][source]["file"])
            assert default is not None, source  # a variable, with the placeholder as default
            assert (ROOT / default.group(1)).is_file()

    def test_grafana_mounts_the_provisioning_and_the_dashboards(
        self, compose: dict[str, Any]
    ) -> None:
        grafana = compose["services"]["grafana"]
        mounts = {v.split(":")[1]: v.split(":")[0] for v in grafana["volumes"]}
        provider = yaml.safe_load(
            (ROOT / "deploy/grafana/provisioning/dashboards/support-desk.yaml").read_text()
        )
        [files] = provider["providers"]
        assert mounts == {
            "/etc/grafana/provisioning": "./deploy/grafana/provisioning",
            files["options"]["path"]: "./deploy/grafana/dashboards",
        }
        home = _env(grafana)["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
        assert (ROOT / "deploy/grafana/dashboards" / Path(home).name).is_file()
