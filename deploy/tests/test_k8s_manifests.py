"""deploy/k8s against the Kubernetes 1.30 schemas, and what the schemas cannot see.

No cluster and no kubectl here: kubernetes-validate ships the schemas, so every document
is checked offline in strict mode (an unknown or misspelt field fails). The rest checks
how the documents fit together: each process has its Deployment, Service, budget and
autoscaler, only its callers reach it, and every setting or file it names exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from deskstack.services import (
    LISTENERS,
    OPTIONAL,
    ROOT,
    SERVICES,
    ListenerSpec,
    OptionalSpec,
    ServiceSpec,
    by_name,
)
from gateway.config import Settings as GatewaySettings

K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAY = K8S / "overlays" / "production"
KUBERNETES = "1.30.0"  # kubernetes-validate's name for the 1.30 schemas it ships
NAMESPACE = "support-desk"
IMAGE = "support-desk"
UID = 10001  # the image's non-root user
BEHIND_THE_GATEWAY = [s for s in SERVICES if s.name != "gateway"]
# Every Deployment: the services, their listeners (intake-smtp), the optional processes.
PROCESSES = [s.name for s in (*SERVICES, *LISTENERS, *OPTIONAL)]
# The common secrets every process's settings need (Kafka's: intake's settings refuse
# SASL_SSL without its user even in a process that opens no Kafka connection).
DATABASE_AND_KAFKA = {"DATABASE_URL", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(BASE.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                found.append((str(path.relative_to(BASE)), doc))
    return found


DOCUMENTS = _documents()


def _of(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for _, d in DOCUMENTS if d["kind"] == kind}


def _kustomization(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / "kustomization.yaml").read_text())
    return data


def _config() -> dict[str, str]:
    data: dict[str, str] = _of("ConfigMap")["support-desk-config"]["data"]
    return data


def _pod(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def _containers(workload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    pod = _pod(workload)
    yield from pod.get("initContainers", [])
    yield from pod["containers"]


def _main(spec: ServiceSpec | ListenerSpec | OptionalSpec) -> dict[str, Any]:
    container: dict[str, Any]
    [container] = _pod(_of("Deployment")[spec.name])["containers"]
    return container


def _workloads() -> list[dict[str, Any]]:
    return [*_of("Deployment").values(), *_of("Job").values()]


def _callers(spec: ServiceSpec) -> set[str]:
    """Who opens connections to ``spec``: the gateway, and each process told its URL."""
    config = _config()
    url = f"http://{spec.name}:{spec.port}"
    return {"gateway"} | {
        s.name
        for s in SERVICES
        if config.get(f"{s.prefix}{spec.name.upper().replace('-', '_')}_URL") == url
    }


def test_kustomization_applies_every_manifest_in_the_namespace() -> None:
    base = _kustomization(BASE)
    files = {str(p.relative_to(BASE)) for p in BASE.rglob("*.yaml")} - {"kustomization.yaml"}

    assert set(base["resources"]) == files
    assert base["namespace"] == NAMESPACE
    assert _of("Namespace").keys() == {NAMESPACE}
    for file, doc in DOCUMENTS:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == NAMESPACE, (file, doc["metadata"]["name"])
    # `kubectl apply -k deploy/k8s` is the base with the image named.
    top = _kustomization(K8S)
    assert top["resources"] == ["base"]
    assert [i["name"] for i in top["images"]] == [IMAGE]


class TestProductionOverlay:
    """overlays/production fills the base's placeholders from files git never sees."""

    def test_builds_on_the_base_and_names_the_image(self) -> None:
        overlay = _kustomization(OVERLAY)
        assert overlay["resources"] == ["../../base"]
        assert [i["name"] for i in overlay["images"]] == [IMAGE]
        # The base refers to its Secrets and ConfigMap by name: no hash suffix.
        assert overlay["generatorOptions"] == {"disableNameSuffixHash": True}

    def test_replaces_each_secret_with_every_key_the_base_has(self) -> None:
        generated = {g["name"]: g for g in _kustomization(OVERLAY)["secretGenerator"]}
        secrets = _of("Secret")
        example = (OVERLAY / "secrets.env.example").read_text().splitlines()
        ignored = (OVERLAY / ".gitignore").read_text().splitlines()

        assert generated.keys() == secrets.keys()
        for generator in generated.values():
            assert (generator["behavior"], generator["namespace"]) == ("replace", NAMESPACE)
        [env_file] = generated["support-desk-secrets"]["envs"]
        assert {line.partition("=")[0] for line in example if line} == set(
            secrets["support-desk-secrets"]["stringData"]
        )
        assert set(generated["support-desk-ca"]["files"]) == set(
            secrets["support-desk-ca"]["stringData"]
        )
        assert env_file in ignored
        assert all(f.endswith(".crt") for f in generated["support-desk-ca"]["files"])
        assert "*.crt" in ignored

    def test_merges_only_settings_the_base_has(self) -> None:
        [config] = _kustomization(OVERLAY)["configMapGenerator"]
        assert (config["name"], config["behavior"]) == ("support-desk-config", "merge")
        assert {lit.partition("=")[0] for lit in config["literals"]} <= set(_config())


@pytest.mark.parametrize(
    "doc",
    [d for _, d in DOCUMENTS],
    ids=[f"{f}:{d['kind']}/{d['metadata']['name']}" for f, d in DOCUMENTS],
)
def test_each_document_is_valid_kubernetes_1_30_in_strict_mode(doc: dict[str, Any]) -> None:
    # SchemaNotFoundError (an unknown kind or apiVersion) fails the test too.
    assert kubernetes_validate.validate(doc, KUBERNETES, strict=True) == "1.30"


def test_strict_validation_refuses_a_misspelt_field() -> None:
    """The check above can fail: strict schemas allow no field they do not know."""
    deployment = yaml.safe_load(yaml.safe_dump(_of("Deployment")["intake"]))
    deployment["spec"]["replica"] = deployment["spec"].pop("replicas")

    with pytest.raises(kubernetes_validate.ValidationError, match="'replica' was unexpected"):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)


class TestEachProcess:
    def test_a_deployment_per_process_and_nothing_else(self) -> None:
        # intake-smtp and intake-imap too: without them the cluster receives no mail.
        assert set(_of("Deployment")) == set(PROCESSES)

    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_runs_two_replicas_of_its_module_on_its_port(self, spec: ServiceSpec) -> None:
        deployment = _of("Deployment")[spec.name]
        container = _main(spec)
        env = {e["name"]: e.get("value") for e in container["env"]}

        assert deployment["spec"]["replicas"] == 2
        assert container["image"] == IMAGE
        assert container["command"] == ["python", "-m", spec.module, "api"]
        assert container["ports"] == [
            {"name": "http", "containerPort": spec.port, "protocol": "TCP"}
        ]
        assert env[f"{spec.prefix}HOST"] == "0.0.0.0"
        assert env[f"{spec.prefix}PORT"] == str(spec.port)
        # Never more than one replica down during a rollout.
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0

    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_is_probed_on_its_health_routes(self, spec: ServiceSpec) -> None:
        container = _main(spec)

        assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
        # A slow start is not a dead process: liveness waits for the startup probe.
        assert container["startupProbe"]["httpGet"]["path"] == "/health/live"

    @pytest.mark.parametrize(
        "workload", _workloads(), ids=lambda w: f"{w['kind']}/{w['metadata']['name']}"
    )
    def test_every_container_has_requests_limits_and_no_privileges(
        self, workload: dict[str, Any]
    ) -> None:
        pod = _pod(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == UID
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        for container in _containers(workload):
            resources = container["resources"]
            assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}
            assert container["securityContext"] == {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }

    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_has_a_service_a_disruption_budget_and_an_autoscaler(self, spec: ServiceSpec) -> None:
        deployment = _of("Deployment")[spec.name]
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        service = _of("Service")[spec.name]
        budget = _of("PodDisruptionBudget")[spec.name]
        autoscaler = _of("HorizontalPodAutoscaler")[spec.name]

        assert selector.items() <= pod_labels.items()
        # The name the other processes' URLs use, on the process's own port.
        assert service["spec"]["selector"] == selector
        assert service["spec"]["ports"] == [
            {"name": "http", "port": spec.port, "targetPort": "http", "protocol": "TCP"}
        ]
        assert budget["spec"] == {"minAvailable": 1, "selector": {"matchLabels": selector}}
        assert autoscaler["apiVersion"] == "autoscaling/v2"
        assert autoscaler["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": spec.name,
        }
        assert autoscaler["spec"]["minReplicas"] == deployment["spec"]["replicas"]
        # REPLICAS is what each service multiplies its connection budget by.
        assert autoscaler["spec"]["maxReplicas"] == int(_config()["REPLICAS"])
        [metric] = autoscaler["spec"]["metrics"]
        assert metric["type"] == "Resource"
        assert metric["resource"]["name"] == "cpu"

    def test_processes_find_each_other_through_the_services(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        # The settings as a pod gets them: the ConfigMap, the Secret, and the CA files
        # mounted from support-desk-ca (here under tmp_path), so they validate whole.
        secrets = _of("Secret")
        for name, content in secrets["support-desk-ca"]["stringData"].items():
            (tmp_path / name).write_text(content)
        env = {**_config(), **secrets["support-desk-secrets"]["stringData"]}
        for key, value in env.items():
            monkeypatch.setenv(key, value.replace("/etc/support-desk/ca", str(tmp_path)))
        upstreams = GatewaySettings().upstreams()
        for spec in BEHIND_THE_GATEWAY:
            assert upstreams[spec.name] == f"http://{spec.name}:{spec.port}"
        assert _config()["INTAKE_ENTITLEMENT_URL"] == "http://entitlement:8102"
        assert _config()["SLA_CLOCK_ENTITLEMENT_URL"] == "http://entitlement:8102"


class TestMailProcesses:
    """intake-smtp as the Services' processes are, but on TCP; intake-imap off until wanted."""

    @pytest.mark.parametrize("spec", LISTENERS, ids=lambda s: s.name)
    def test_a_listener_runs_two_replicas_of_its_subcommand_on_its_port(
        self, spec: ListenerSpec
    ) -> None:
        deployment = _of("Deployment")[spec.name]
        container = _main(spec)
        env = {e["name"]: e.get("value") for e in container["env"]}

        assert deployment["spec"]["replicas"] == 2
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        assert container["image"] == IMAGE
        assert container["command"] == [
            "python",
            "-m",
            by_name(spec.service).module,
            spec.subcommand,
        ]
        assert container["ports"] == [
            {"name": "smtp", "containerPort": spec.port, "protocol": "TCP"}
        ]
        assert env[spec.port_env] == str(spec.port)
        assert env[spec.port_env.replace("__PORT", "__HOST")] == "0.0.0.0"
        # No HTTP: every probe opens a TCP connection to the listener.
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["tcpSocket"] == {"port": "smtp"}, probe

    @pytest.mark.parametrize("spec", LISTENERS, ids=lambda s: s.name)
    def test_a_listener_has_a_service_on_port_25_a_budget_and_a_policy(
        self, spec: ListenerSpec
    ) -> None:
        deployment = _of("Deployment")[spec.name]
        selector = deployment["spec"]["selector"]["matchLabels"]
        service = _of("Service")[spec.name]
        policy = _of("NetworkPolicy")[spec.name]["spec"]

        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        assert (service["spec"]["type"], service["spec"]["selector"]) == ("ClusterIP", selector)
        assert service["spec"]["ports"] == [
            {"name": "smtp", "port": 25, "targetPort": "smtp", "protocol": "TCP"}
        ]
        assert _of("PodDisruptionBudget")[spec.name]["spec"] == {
            "minAvailable": 1,
            "selector": {"matchLabels": selector},
        }
        # A fixed count: the connection budget counts two (test_platform_budget.py).
        assert spec.name not in _of("HorizontalPodAutoscaler")
        # Mail comes from outside the cluster: any source, the listener's port only.
        assert policy["podSelector"] == {"matchLabels": selector}
        assert policy["ingress"] == [{"ports": [{"protocol": "TCP", "port": spec.port}]}]

    def test_starttls_is_off_until_its_secret_and_files_are_named(self) -> None:
        [spec] = LISTENERS
        pod = _pod(_of("Deployment")[spec.name])
        volumes = {v["name"]: v for v in pod["volumes"]}
        [mount] = [m for m in _main(spec)["volumeMounts"] if m["name"] == "smtp-tls"]
        config = _config()
        guide = (ROOT / "docs" / "deploy.md").read_text()

        assert volumes["smtp-tls"]["secret"] == {"secretName": "intake-smtp-tls", "optional": True}
        assert config["INTAKE_SMTP__TLS_CERTFILE"] == config["INTAKE_SMTP__TLS_KEYFILE"] == ""
        for name in ("tls.crt", "tls.key"):  # what docs/deploy.md tells the overlay to set
            assert f"{mount['mountPath']}/{name}" in guide

    @pytest.mark.parametrize("spec", OPTIONAL, ids=lambda s: s.name)
    def test_an_optional_process_is_off_until_an_overlay_turns_it_on(
        self, spec: OptionalSpec
    ) -> None:
        deployment = _of("Deployment")[spec.name]

        assert _main(spec)["command"] == [
            "python",
            "-m",
            by_name(spec.service).module,
            spec.subcommand,
        ]
        # Unconfigured it exits at once (a Deployment would restart it forever): 0 replicas
        # and an empty setting; the overlay sets both (docs/deploy.md).
        assert deployment["spec"]["replicas"] == 0
        assert _config()[spec.enabled_by] == ""
        # One poller per mailbox, also during a rollout; nothing scales it.
        assert deployment["spec"]["strategy"] == {"type": "Recreate"}
        assert spec.name not in _of("HorizontalPodAutoscaler")
        assert spec.name not in _of("PodDisruptionBudget")

    def test_the_imap_poller_reaches_imap_and_nothing_reaches_it(self) -> None:
        policy = _of("NetworkPolicy")["intake-imap"]["spec"]

        assert policy["podSelector"] == _of("Deployment")["intake-imap"]["spec"]["selector"]
        assert policy["policyTypes"] == ["Ingress", "Egress"]
        assert "ingress" not in policy
        assert {p["port"] for r in policy["egress"] for p in r["ports"]} == {993, 143}

    @pytest.mark.parametrize(
        ("name", "extra"), [("intake-smtp", set()), ("intake-imap", {"INTAKE_IMAP__PASSWORD"})]
    )
    def test_each_gets_the_secrets_it_needs_and_no_others(self, name: str, extra: set[str]) -> None:
        [container] = _pod(_of("Deployment")[name])["containers"]
        names = {v["name"] for v in container["env"] if "valueFrom" in v}

        assert names == DATABASE_AND_KAFKA | extra

    def test_intake_and_its_mail_processes_read_the_same_support_addresses(self) -> None:
        for name in ("intake", "intake-smtp", "intake-imap"):
            [container] = _pod(_of("Deployment")[name])["containers"]
            assert container["envFrom"] == [{"configMapRef": {"name": "support-desk-config"}}]
            assert "INTAKE_SUPPORT_ADDRESSES" not in {v["name"] for v in container["env"]}
        assert "@" in _config()["INTAKE_SUPPORT_ADDRESSES"]


class TestInitJob:
    def test_runs_deskstack_init_once(self) -> None:
        [job] = _of("Job").values()
        [container] = _pod(job)["containers"]

        assert container["command"] == ["python", "-m", "deskstack", "init"]
        assert container["image"] == IMAGE
        assert _pod(job)["restartPolicy"] == "Never"
        assert "ttlSecondsAfterFinished" not in job["spec"]  # the initContainers read it

    def test_creates_topics_with_three_copies(self) -> None:
        config = _config()
        assert config["KAFKA_TOPIC_REPLICATION_FACTOR"] == "3"
        assert config["KAFKA_TOPIC_MIN_INSYNC_REPLICAS"] == "2"

    @pytest.mark.parametrize("name", PROCESSES)
    def test_every_process_starts_only_after_the_job_succeeded(self, name: str) -> None:
        [job_name] = _of("Job")
        deployment = _of("Deployment")[name]
        [wait] = _pod(deployment)["initContainers"]
        env = {e["name"]: e["value"] for e in wait["env"]}
        script = _of("ConfigMap")["wait-for-init"]["data"]["wait_for_init.py"]
        mount = next(m for m in wait["volumeMounts"] if m["name"] == "wait-for-init")

        assert env["INIT_JOB"] == job_name
        assert wait["command"] == ["python", f"{mount['mountPath']}/wait_for_init.py"]
        compile(script, "wait_for_init.py", "exec")  # it is Python the image can run
        # Its service account may read that Job, and nothing else.
        account = _pod(deployment)["serviceAccountName"]
        [binding] = _of("RoleBinding").values()
        assert {"kind": "ServiceAccount", "name": account, "namespace": NAMESPACE} in binding[
            "subjects"
        ]
        [rule] = _of("Role")[binding["roleRef"]["name"]]["rules"]
        assert rule == {
            "apiGroups": ["batch"],
            "resources": ["jobs"],
            "resourceNames": [job_name],
            "verbs": ["get"],
        }
        # ... and the network policy lets its pods reach the API server to ask.
        selector = _of("NetworkPolicy")["api-server-egress"]["spec"]["podSelector"]
        [expression] = selector["matchExpressions"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert (expression["key"], expression["operator"]) == ("app.kubernetes.io/component", "In")
        assert labels[expression["key"]] in expression["values"]


class TestNetworkPolicies:
    def test_nothing_is_reachable_unless_a_policy_says_so(self) -> None:
        deny = _of("NetworkPolicy")["default-deny"]["spec"]
        assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}

    @pytest.mark.parametrize("spec", BEHIND_THE_GATEWAY, ids=lambda s: s.name)
    def test_only_its_callers_reach_a_service(self, spec: ServiceSpec) -> None:
        policy = _of("NetworkPolicy")[spec.name]["spec"]
        selector = _of("Deployment")[spec.name]["spec"]["selector"]
        in_namespace: set[str] = set()
        for rule in policy["ingress"]:
            assert rule["ports"] == [{"protocol": "TCP", "port": spec.port}]
            for peer in rule["from"]:  # a rule without "from" would admit every pod
                if "namespaceSelector" in peer:
                    assert _is_prometheus(peer), peer
                else:
                    assert set(peer) == {"podSelector"}
                    in_namespace.add(peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"])

        assert policy["podSelector"] == selector
        # The gateway only; entitlement also its two direct callers (intake, sla-clock).
        assert in_namespace == _callers(spec)
        assert in_namespace == (
            {"gateway", "intake", "sla-clock"} if spec.name == "entitlement" else {"gateway"}
        )

    def test_the_gateway_is_reached_from_the_ingress_controller(self) -> None:
        policy = _of("NetworkPolicy")["gateway"]["spec"]
        peers = [peer for rule in policy["ingress"] for peer in rule["from"]]

        assert {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}
        } in peers
        assert all("namespaceSelector" in p for p in peers)  # no pod of this namespace
        assert all(r["ports"] == [{"protocol": "TCP", "port": 8080}] for r in policy["ingress"])

    @pytest.mark.parametrize("spec", BEHIND_THE_GATEWAY, ids=lambda s: s.name)
    def test_each_caller_may_open_connections_to_the_service(self, spec: ServiceSpec) -> None:
        for caller in _callers(spec):
            egress = _of("NetworkPolicy")[caller]["spec"]["egress"]
            assert any(_admits(rule, spec) for rule in egress), (caller, spec.name)

    def test_every_process_reaches_dns_postgresql_and_kafka(self) -> None:
        policy = _of("NetworkPolicy")["platform-egress"]["spec"]
        ports = {
            (p["protocol"], p["port"], p.get("endPort"))
            for r in policy["egress"]
            for p in r["ports"]
        }

        assert policy["podSelector"] == {
            "matchLabels": {"app.kubernetes.io/part-of": "support-desk"}
        }
        assert {("UDP", 53, None), ("TCP", 53, None), ("TCP", 5432, None)} <= ports
        for workload in _workloads():
            labels = workload["spec"]["template"]["metadata"]["labels"]
            assert labels["app.kubernetes.io/part-of"] == "support-desk"
        kafka = {int(a.rpartition(":")[2]) for a in _config()["KAFKA_BOOTSTRAP_SERVERS"].split(",")}
        assert all(any(lo <= port <= (hi or lo) for _, lo, hi in ports) for port in kafka)

    def test_notification_reaches_smtp_and_webhooks(self) -> None:
        egress = _of("NetworkPolicy")["notification"]["spec"]["egress"]
        ports = {p["port"] for rule in egress for p in rule["ports"]}
        assert {25, 465, 587, 80, 443} <= ports


def _is_prometheus(peer: dict[str, Any]) -> bool:
    return peer == {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
    }


def _admits(rule: dict[str, Any], spec: ServiceSpec) -> bool:
    """Whether an egress rule lets a pod connect to ``spec``'s pods on its port."""
    ports = any(p["port"] <= spec.port <= p.get("endPort", p["port"]) for p in rule["ports"])
    for peer in rule.get("to", []):
        selector = peer["podSelector"]
        if selector.get("matchLabels") == {"app.kubernetes.io/name": spec.name}:
            return ports
        for expression in selector.get("matchExpressions", []):
            if expression["key"] == "app.kubernetes.io/name" and spec.name in expression["values"]:
                return ports and expression["operator"] == "In"
    return False


class TestSettings:
    def test_every_referenced_setting_exists(self) -> None:
        maps = {n: set(d["data"]) for n, d in _of("ConfigMap").items()}
        secrets = {n: set(d["stringData"]) for n, d in _of("Secret").items()}
        for workload in _workloads():
            for container in _containers(workload):
                for source in container.get("envFrom", []):
                    if "configMapRef" in source:
                        assert source["configMapRef"]["name"] in maps
                    else:
                        assert source["secretRef"]["name"] in secrets
                for var in container.get("env", []):
                    ref = var.get("valueFrom", {})
                    if "configMapKeyRef" in ref:
                        key = ref["configMapKeyRef"]
                        assert key["key"] in maps[key["name"]], var["name"]
                    if "secretKeyRef" in ref:
                        key = ref["secretKeyRef"]
                        assert key["key"] in secrets[key["name"]], var["name"]
                        assert key["key"] == var["name"]
            for volume in _pod(workload).get("volumes", []):
                # An optional Secret is one the operator may create (STARTTLS's).
                if "secret" in volume and not volume["secret"].get("optional"):
                    assert volume["secret"]["secretName"] in secrets
                if "configMap" in volume:
                    assert volume["configMap"]["name"] in maps

    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_each_process_gets_the_secrets_it_needs_and_no_others(self, spec: ServiceSpec) -> None:
        names = {v["name"] for v in _main(spec)["env"] if "valueFrom" in v}
        common = DATABASE_AND_KAFKA | {"INTERNAL_TOKEN"}
        extra = {"gateway": {"ADMIN_API_KEY"}, "notification": {"SMTP_URL"}}.get(spec.name, set())
        assert names == common | extra

    def test_every_file_a_setting_names_is_mounted(self) -> None:
        """The CAs that DATABASE_URL and KAFKA_SSL_CAFILE name are in each pod's volumes."""
        secrets = _of("Secret")
        database_url = secrets["support-desk-secrets"]["stringData"]["DATABASE_URL"]
        [root_cert] = re.findall(r"sslrootcert=([^&]+)", database_url)
        assert "sslmode=verify-full" in database_url
        files = [Path(root_cert), Path(_config()["KAFKA_SSL_CAFILE"])]
        for workload in _workloads():
            pod = _pod(workload)
            volumes = {v["name"]: v for v in pod["volumes"]}
            main = pod["containers"][0]
            for file in files:
                [mount] = [m for m in main["volumeMounts"] if m["mountPath"] == str(file.parent)]
                secret = secrets[volumes[mount["name"]]["secret"]["secretName"]]
                assert file.name in secret["stringData"], (workload["metadata"]["name"], file)

    def test_secrets_are_clearly_placeholders(self) -> None:
        for name, secret in _of("Secret").items():
            for key, value in secret["stringData"].items():
                assert "CHANGE-ME" in value, (name, key)

    def test_the_kafka_connection_is_secured(self) -> None:
        config = _config()
        assert config["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert config["KAFKA_SASL_MECHANISM"] in {"SCRAM-SHA-256", "SCRAM-SHA-512"}


class TestIngress:
    def test_routes_everything_to_the_gateway_and_leaves_the_live_stream_unbuffered(self) -> None:
        [ingress] = _of("Ingress").values()
        annotations = ingress["metadata"]["annotations"]
        [rule] = ingress["spec"]["rules"]
        [path] = rule["http"]["paths"]

        assert ingress["spec"]["ingressClassName"] == "nginx"
        assert path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}
        assert (path["path"], path["pathType"]) == ("/", "Prefix")
        # Server-Sent Events: no buffering, and a quiet stream is not cut after 60 s.
        assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
        assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
        assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
