"""deploy/kustomization.yaml: Prometheus, Alertmanager and Grafana on Kubernetes, their
ConfigMaps generated from the files compose mounts (no copies), every document valid
Kubernetes 1.30 in strict mode, and every mount, Secret and port where the configs say.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from deskstack.services import ROOT

DEPLOY = ROOT / "deploy"
KUBERNETES = "1.30.0"
NAMESPACE = "monitoring"


def _kustomization() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())
    return data


def _documents() -> list[dict[str, Any]]:
    return [
        doc
        for resource in _kustomization()["resources"]
        for doc in yaml.safe_load_all((DEPLOY / resource).read_text())
        if doc
    ]


def _of(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _documents() if d["kind"] == kind}


def _generated() -> dict[str, dict[str, Path]]:
    """Each generated ConfigMap: its keys and the repository file each is read from."""
    maps: dict[str, dict[str, Path]] = {}
    for generator in _kustomization()["configMapGenerator"]:
        files: dict[str, Path] = {}
        for entry in generator["files"]:
            key, _, source = entry.rpartition("=")
            files[key or Path(source).name] = DEPLOY / source
        maps[generator["name"]] = files
    return maps


def _container(name: str) -> dict[str, Any]:
    [container] = _of("Deployment")[name]["spec"]["template"]["spec"]["containers"]
    return container


def _mounts(name: str) -> dict[str, dict[str, Any]]:
    """mountPath -> the volume behind it, for one Deployment's container."""
    pod = _of("Deployment")[name]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    return {m["mountPath"]: volumes[m["name"]] for m in _container(name)["volumeMounts"]}


@pytest.mark.parametrize("doc", _documents(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_each_document_is_valid_kubernetes_1_30_in_strict_mode(doc: dict[str, Any]) -> None:
    assert kubernetes_validate.validate(doc, KUBERNETES, strict=True) == "1.30"


def test_the_config_maps_are_generated_from_the_files_compose_mounts() -> None:
    generated = _generated()
    dashboards = {p.name: p for p in sorted((DEPLOY / "grafana/dashboards").glob("*.json"))}

    assert generated["grafana-dashboards"] == dashboards  # every dashboard, from its file
    assert generated["prometheus-config"]["alerts.yml"] == DEPLOY / "prometheus/alerts.yml"
    assert generated["alertmanager-config"] == {
        "alertmanager.yml": DEPLOY / "alertmanager/alertmanager.yml"
    }
    for files in generated.values():
        for source in files.values():
            assert source.is_file(), source
            assert DEPLOY in source.resolve().parents  # kustomize reads nothing above it
    for generator in _kustomization()["configMapGenerator"]:
        assert generator["namespace"] == NAMESPACE


def test_every_config_map_a_pod_mounts_is_generated() -> None:
    generated = _generated()
    for name in _of("Deployment"):
        for volume in _mounts(name).values():
            if "configMap" in volume:
                assert volume["configMap"]["name"] in generated, name


def test_grafana_reads_the_provisioning_at_the_paths_its_files_name() -> None:
    mounts = _mounts("grafana")
    provider = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/dashboards/support-desk.yaml").read_text()
    )
    [files] = provider["providers"]

    assert mounts[files["options"]["path"]]["configMap"]["name"] == "grafana-dashboards"
    assert mounts["/etc/grafana/provisioning/dashboards"]["configMap"]["name"] == (
        "grafana-dashboard-provider"
    )
    assert mounts["/etc/grafana/provisioning/datasources"]["configMap"]["name"] == (
        "grafana-datasources"
    )
    [source] = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/prometheus.yaml").read_text()
    )["datasources"]
    assert source["url"] == "http://prometheus:9090"
    assert "prometheus" in _of("Service")


def test_prometheus_runs_where_the_platform_admits_it_and_finds_the_pods() -> None:
    deployment = _of("Deployment")["prometheus"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    config = yaml.safe_load((DEPLOY / "k8s/monitoring/prometheus.yml").read_text())
    [binding] = _of("RoleBinding").values()

    # The processes' network policies: pods named prometheus in the namespace monitoring.
    assert labels["app.kubernetes.io/name"] == "prometheus"
    assert deployment["metadata"]["namespace"] == NAMESPACE
    assert _of("Namespace")[NAMESPACE]
    assert binding["metadata"]["namespace"] == "support-desk"
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "prometheus", "namespace": NAMESPACE}
    ]
    assert config["rule_files"] == ["alerts.yml"]
    [manager] = config["alerting"]["alertmanagers"]
    assert manager["static_configs"] == [{"targets": ["alertmanager.monitoring.svc:9093"]}]
    key_file = Path(
        next(j for j in config["scrape_configs"] if "authorization" in j)["authorization"][
            "credentials_file"
        ]
    )
    assert _mounts("prometheus")[str(key_file.parent)]["secret"]["secretName"] in _of("Secret")


def test_alertmanager_gets_every_secret_file_its_config_reads() -> None:
    config = yaml.safe_load((DEPLOY / "alertmanager/alertmanager.yml").read_text())
    text = yaml.safe_dump(config)
    wanted = {line.split(": ")[1] for line in text.splitlines() if "_file: " in line}
    mounts = _mounts("alertmanager")
    secret = _of("Secret")["alertmanager-secrets"]

    for path in map(Path, wanted):
        volume = mounts[str(path.parent)]
        assert volume["secret"]["secretName"] == "alertmanager-secrets"
        assert path.name in secret["stringData"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_kustomize_builds_it() -> None:
    built = subprocess.run(
        ["kubectl", "kustomize", str(DEPLOY)], capture_output=True, text=True, check=True
    ).stdout
    kinds = [doc["kind"] for doc in yaml.safe_load_all(built) if doc]

    assert kinds.count("ConfigMap") == len(_generated())
    assert kinds.count("Deployment") == 3
