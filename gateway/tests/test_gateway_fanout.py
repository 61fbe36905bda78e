"""The live stream's rules without a broker: resumption, filters, customer scope, slow clients."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from gateway import stream
from gateway.fanout import Fanout, StreamFilter, decode_position, encode_position
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

    def test_an_id_older_than_the_window_is_read_back_and_a_foreign_one_is_a_gap(self) -> None:
        hub = Fanout(window=2, queue_size=10)
        first = hub.publish("t", envelope("a"))
        for _ in range(3):
            hub.publish("t", envelope("b"))

        older = hub.since(StreamFilter(), first.id)
        assert not older.gap
        assert older.read_back == {0: (1, 2)}  # offset 1 fell out; 2 and 3 are in the window
        assert [e.offset for e in older.missed] == [2, 3]
        assert hub.since(StreamFilter(), "a1b2c3d4.42").gap  # the old <epoch>.<seq> form
        assert hub.since(StreamFilter(), "v1.1.2").gap  # another number of partitions
        assert hub.since(StreamFilter(), "garbage").gap
        assert hub.since(StreamFilter(), hub.last_id).missed == []
        assert hub.since(StreamFilter(), hub.last_id).read_back == {}
        assert not hub.since(StreamFilter(), hub.last_id).gap

    def test_ids_are_the_positions_after_each_event(self) -> None:
        hub = Fanout(window=10, queue_size=10, start=(5, 0))
        ids = [hub.publish("t", envelope("a"), slot=0, offset=5 + n).id for n in range(3)]
        ids.append(hub.publish("u", envelope("b"), slot=1, offset=0).id)

        assert ids == ["v1.6.0", "v1.7.0", "v1.8.0", "v1.8.1"]
        assert decode_position("v1.8.1", 2) == (8, 1)
        assert encode_position((36 * 36, 35)) == "v1.100.z"

    def test_another_replica_resumes_from_an_id_and_misses_nothing(self) -> None:
        a = Fanout(window=100, queue_size=100, start=(0, 0))
        b = Fanout(window=100, queue_size=100, start=(0, 0))
        log = [(0, "x1"), (1, "y1"), (0, "x2"), (1, "y2"), (1, "y3"), (0, "x3")]
        offsets = [0, 0]
        for slot, kind in log:  # replica A gets them in one interleaving ...
            a.publish("t", envelope(kind), slot=slot, offset=offsets[slot])
            offsets[slot] += 1
        for slot, kind in sorted(log):  # ... replica B in another (per partition in order)
            b.publish("t", envelope(kind), slot=slot, offset=int(kind[1]) - 1)
        left_at = a.since(StreamFilter(), "v1.0.0").missed[2]  # the client saw x1, y1, x2

        resume = b.since(StreamFilter(), left_at.id)

        assert sorted(e.type for e in resume.missed) == ["x3", "y2", "y3"]
        assert resume.read_back == {}

    def test_a_client_ahead_of_this_replica_gets_no_event_twice(self) -> None:
        ahead = Fanout(window=10, queue_size=10, start=(0, 0))
        for n in range(3):
            ahead.publish("t", envelope(f"x{n}"), slot=0, offset=n)
        behind = Fanout(window=10, queue_size=10, start=(0, 0))

        sub, resume = behind.subscribe(StreamFilter(), ahead.last_id)
        for n in range(4):  # this replica's tail catches up, then goes past
            behind.publish("t", envelope(f"x{n}"), slot=0, offset=n)

        assert resume.missed == []
        got = [sub.queue.get_nowait() for _ in range(sub.queue.qsize())]
        assert [e.type for e in got] == ["x3"]
        assert got[0].id == "v1.4.0"


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
    @pytest.mark.asyncio
    async def test_paging_after_an_id_with_a_small_limit_gets_every_event_once(self) -> None:
        hub = StreamHub(KafkaSettings(), StreamSettings())
        start = hub.fanout.publish("t", envelope("first"))
        sent = [hub.fanout.publish("t", envelope(f"e{n}")).type for n in range(5)]

        got: list[str] = []
        position = start.id
        for _ in range(5):
            answer = await stream._snapshot(hub, StreamFilter(), position, 2)
            got += [item["event"]["type"] for item in answer["items"]]
            position = answer["last_event_id"]

        assert got == sent
        assert position == hub.fanout.last_id
        latest = await stream._snapshot(hub, StreamFilter(), None, 2)
        assert latest["items"][0]["event"]["type"] == "e3"
