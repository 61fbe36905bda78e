"""docker-compose.yml cannot run here (no Docker engine); check it agrees with the local stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.config import Settings as GatewaySettings
from shared.infra.services import ROOT, SERVICES

COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def _env(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in service["environment"].items()}


class TestComposeMatchesLocalStack:
    def test_has_every_platform_process_and_the_infrastructure(
        self, compose: dict[str, Any]
    ) -> None:
        assert set(compose["services"]) == {"postgres", "kafka", "init"} | {
            s.name for s in SERVICES
        }

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
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env["KAFKA_ENABLE_IDEMPOTENCE"] == "true"  # Apache Kafka supports it
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
        assert deps["kafka"]["condition"] == "service_healthy"
        assert "/health/ready" in " ".join(service["healthcheck"]["test"])

    def test_init_migrates_and_creates_topics_like_make_run(self, compose: dict[str, Any]) -> None:
        assert compose["services"]["init"]["command"] == ["python", "-m", "deskstack", "init"]
        kafka_env = _env(compose["services"]["kafka"])
        # Topics come from `deskstack init`, the same list the local stack creates.
        assert kafka_env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"

    def test_kafka_is_apache_kafka_in_kraft_mode(self, compose: dict[str, Any]) -> None:
        kafka = compose["services"]["kafka"]
        assert kafka["image"].startswith("apache/kafka:")
        assert "controller" in _env(kafka)["KAFKA_PROCESS_ROLES"]
        assert "healthcheck" in kafka

    def test_gateway_reaches_each_service_by_its_compose_name(
        self, compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for key, value in _env(compose["services"]["gateway"]).items():
            monkeypatch.setenv(key, value)
        upstreams = GatewaySettings().upstreams()
        for spec in SERVICES:
            if spec.name != "gateway":
                assert upstreams[spec.name] == f"http://{spec.name}:{spec.port}"

    def test_image_builds_from_the_repository(self) -> None:
        dockerfile = (ROOT / "deploy/Dockerfile").read_text()
        for part in ("shared", "gateway", "services", "deploy"):
            assert f"COPY {part} ./{part}" in dockerfile
        assert Path(ROOT / "pyproject.toml").exists()
