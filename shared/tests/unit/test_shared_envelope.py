"""The envelope, the payload registry and the settings fallbacks."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import ClassVar
from uuid import RFC_4122, uuid4

import pytest

from shared.events.base import (
    EVENT_TYPES,
    Envelope,
    EventData,
    current_causation,
    current_correlation,
    new_id,
)
from shared.events.tickets import TicketCreated
from shared.settings import ServiceSettings, asyncpg_url


def _created() -> TicketCreated:
    return TicketCreated(
        ticket_id=uuid4(),
        registration_number="TP-2026-000001",
        severity="high",
        tier="standard",
        channel="api",
        subject="s",
        received_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
    )


class TestEnvelope:
    def test_wrap_uses_cloudevents_attributes_and_the_payload_type(self) -> None:
        data = _created()

        env = Envelope.wrap(data, source="intake", subject=str(data.ticket_id), sequence=1)

        dumped = env.model_dump(mode="json")
        assert dumped["specversion"] == "1.0"
        assert dumped["type"] == "ticket.created"
        assert dumped["source"] == "intake"
        assert dumped["subject"] == str(data.ticket_id)
        assert dumped["datacontenttype"] == "application/json"
        assert dumped["sequence"] == 1
        assert env.payload(TicketCreated) == data
        assert env.typed() == data

    def test_a_wrapped_envelope_reads_back_equal_from_its_json(self) -> None:
        env = Envelope.wrap(_created(), source="intake", subject="s")

        assert Envelope.model_validate_json(env.model_dump_json()) == env

    def test_a_time_without_its_offset_is_refused(self) -> None:
        with pytest.raises(ValueError, match="UTC offset"):
            Envelope.wrap(_created(), source="intake", subject="s", time=datetime(2026, 11, 25))

    def test_a_new_chain_correlates_to_itself(self) -> None:
        env = Envelope.wrap(_created(), source="intake", subject="x")

        assert env.correlationid == env.id
        assert env.causationid is None

    def test_an_event_caused_by_a_handled_event_inherits_its_chain(self) -> None:
        cause, corr = uuid4(), uuid4()
        t1, t2 = current_causation.set(cause), current_correlation.set(corr)
        try:
            env = Envelope.wrap(_created(), source="sla-clock", subject="x")
        finally:
            current_causation.reset(t1)
            current_correlation.reset(t2)

        assert env.causationid == cause
        assert env.correlationid == corr

    def test_unknown_fields_are_ignored_by_readers(self) -> None:
        env = Envelope.wrap(_created(), source="intake", subject="x")
        raw = env.model_dump(mode="json") | {"newattr": 1}
        raw["data"] = raw["data"] | {"added_later": True}

        again = Envelope.model_validate(raw)

        assert again.payload(TicketCreated).registration_number == "TP-2026-000001"

    def test_unknown_type_has_no_typed_payload(self) -> None:
        env = Envelope(type="ticket.teleported", source="x", subject="y", data={})

        assert env.typed() is None

    def test_a_type_cannot_be_registered_twice(self) -> None:
        with pytest.raises(TypeError, match="registered twice"):

            class Again(EventData):
                TYPE: ClassVar[str] = "ticket.created"
                TOPIC: ClassVar[str] = "x"

        assert EVENT_TYPES["ticket.created"] is TicketCreated


class TestSettings:
    def test_platform_variables_fill_in_what_a_service_was_not_told(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/x")
        monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k:9092")

        settings = ServiceSettings()

        assert settings.database.url == "postgresql+asyncpg://u@db:5432/x"
        assert settings.kafka.bootstrap_servers == "k:9092"

    def test_non_postgres_url_is_refused(self) -> None:
        with pytest.raises(ValueError, match="not a PostgreSQL URL"):
            asyncpg_url("mysql://x")


class TestNewId:
    def test_ids_are_version_7_unique_and_in_the_order_made_even_within_a_millisecond(
        self,
    ) -> None:
        ids = [new_id() for _ in range(20_000)]  # thousands per millisecond

        assert len(set(ids)) == len(ids)
        assert ids == sorted(ids)
        assert {(i.version, i.variant) for i in ids} == {(7, RFC_4122)}

    def test_the_timestamp_is_the_current_millisecond(self) -> None:
        before = time.time_ns() // 1_000_000
        made = new_id().int >> 80
        after = time.time_ns() // 1_000_000

        assert before <= made <= after + 1  # +1: a borrowed millisecond after a full counter
