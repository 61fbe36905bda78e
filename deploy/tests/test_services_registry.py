"""The registry's replica ports and each process's environment (``deskstack.services``)."""

from __future__ import annotations

from deskstack.services import OPTIONAL, by_name, replica_name, replica_ports, service_env


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
