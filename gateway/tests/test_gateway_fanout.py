"""The live stream's rules without a broker: resumption, filters, customer scope, slow clients."""

from __future__ import annotations

import uuid
from typing import Any

from gateway import stream
from gateway.fanout import Fanout, StreamFilter
from gateway.stream_hub import StreamHub, StreamSettings
from shared.settings import KafkaSettings

A, B = str(uuid.uuid4()), str(uuid.uuid4())


def envelope(event_type: str, **data: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "type": event_type, "subject": "s", "data": data}


def ticket_event(event_type: str, ticket: str, customer: str = A, **data: Any) -> dict[str, Any]:
    return envelope(event_type, ticket_id=ticket, customer_id=customer, **data)


def drain(sub: Any) -> list[str]:
    out = []
    while not sub.queue.empty():
        out.append(sub.queue.get_nowait().type)
    return out


class TestResume:
    def test_reconnect_with_last_event_id_gets_exactly_what_it_missed(self) -> None:
        hub = Fanout(window=100, queue_size=10)
        seen = hub.publish("t", envelope("ticket.created", ticket_id="1"))
        hub.publish("t", envelope("ticket.assigned", ticket_id="1"))
        hub.publish("t", envelope("ticket.commented", ticket_id="1"))

        sub, resume = hub.subscribe(StreamFilter(), seen.id)
        hub.publish("t", envelope("ticket.escalated", ticket_id="1", line=2))

        assert [e.type for e in resume.missed] == ["ticket.assigned", "ticket.commented"]
        assert not resume.gap
        assert drain(sub) == ["ticket.escalated"]

    def test_an_id_older_than_the_window_or_of_another_process_is_a_gap(self) -> None:
        hub = Fanout(window=2, queue_size=10)
        first = hub.publish("t", envelope("a"))
        for _ in range(3):
            hub.publish("t", envelope("b"))

        assert hub.since(StreamFilter(), first.id).gap
        assert hub.since(StreamFilter(), f"other.{hub.last_id.split('.')[1]}").gap
        assert hub.since(StreamFilter(), "garbage").gap
        assert hub.since(StreamFilter(), hub.last_id).missed == []
        assert not hub.since(StreamFilter(), hub.last_id).gap

    def test_ids_increase_and_name_the_process(self) -> None:
        hub = Fanout(window=10, queue_size=10)
        ids = [hub.publish("t", envelope("a")).id for _ in range(3)]

        assert ids == [f"{hub.epoch}.{n}" for n in (1, 2, 3)]


class TestFilters:
    def test_type_ticket_customer_and_line_filters(self) -> None:
        hub = Fanout(window=100, queue_size=100)
        t1, t2 = str(uuid.uuid4()), str(uuid.uuid4())
        events = [
            ticket_event("ticket.created", t1),
            ticket_event("ticket.created", t2, customer=B),
            ticket_event("sla.timer.breached", t1, timer="response"),
            ticket_event("ticket.escalated", t2, customer=B, line=2),
            ticket_event("sla.timer.warning", t2, customer=B, timer="response"),
        ]
        for e in events:
            hub.publish("t", e)

        def types(**wanted: Any) -> list[str]:
            return [e.type for e in hub.recent(StreamFilter(**wanted), 100)]

        assert types(types=("sla.*",)) == ["sla.timer.breached", "sla.timer.warning"]
        assert types(types=("ticket.created", "sla.timer.warning")) == [
            "ticket.created",
            "ticket.created",
            "sla.timer.warning",
        ]
        assert types(ticket_id=t1) == ["ticket.created", "sla.timer.breached"]
        assert types(customer_id=B) == ["ticket.created", "ticket.escalated", "sla.timer.warning"]
        assert types(line=2) == ["ticket.escalated", "sla.timer.warning"]
        assert types(line=1) == ["ticket.created", "ticket.created", "sla.timer.breached"]

    def test_a_release_reaches_each_customer_it_names_and_no_other(self) -> None:
        hub = Fanout(window=10, queue_size=10)
        hub.publish("c", envelope("release.published", customer_ids=[A]))

        assert len(hub.recent(StreamFilter(customer_id=A), 10)) == 1
        assert hub.recent(StreamFilter(customer_id=B), 10) == []

    def test_live_subscribers_get_only_what_their_filter_admits(self) -> None:
        hub = Fanout(window=10, queue_size=10)
        mine, _ = hub.subscribe(StreamFilter(customer_id=A), None)
        everything, _ = hub.subscribe(StreamFilter(), None)

        hub.publish("t", ticket_event("ticket.created", "1", customer=B))
        hub.publish("t", ticket_event("ticket.commented", "2", customer=A))

        assert drain(mine) == ["ticket.commented"]
        assert drain(everything) == ["ticket.created", "ticket.commented"]


class TestSlowClients:
    def test_an_overflowing_client_is_dropped_and_the_others_keep_receiving(self) -> None:
        hub = Fanout(window=100, queue_size=2)
        slow, _ = hub.subscribe(StreamFilter(), None)
        fast, _ = hub.subscribe(StreamFilter(), None)
        hub.publish("t", envelope("a"))
        drain(fast)
        hub.publish("t", envelope("b"))
        hub.publish("t", envelope("c"))

        assert slow.overflowed
        assert hub.subscribers == 1
        assert drain(fast) == ["b", "c"]
        # What the slow client had not received is still in the window for its reconnect.
        received = slow.queue.get_nowait()
        assert [e.type for e in hub.since(StreamFilter(), received.id).missed] == ["b", "c"]


class TestPolling:
    def test_paging_after_an_id_with_a_small_limit_gets_every_event_once(self) -> None:
        hub = StreamHub(KafkaSettings(), StreamSettings())
        start = hub.fanout.publish("t", envelope("first"))
        sent = [hub.fanout.publish("t", envelope(f"e{n}")).type for n in range(5)]

        got: list[str] = []
        position = start.id
        for _ in range(5):
            answer = stream._snapshot(hub, StreamFilter(), position, 2)
            got += [item["event"]["type"] for item in answer["items"]]
            position = answer["last_event_id"]

        assert got == sent
        assert position == hub.fanout.last_id
        assert stream._snapshot(hub, StreamFilter(), None, 2)["items"][0]["event"]["type"] == "e3"
