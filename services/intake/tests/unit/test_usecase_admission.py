"""Admission use case with an in-memory unit of work: who gets a ticket, and on what terms."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from intake.domain.commands import OpenTicket
from intake.domain.config import IntakeConfig
from intake.uow import ArticleHit
from intake.usecases import admission
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.tickets import TicketCreated
from shared.events.vocabulary import Channel, Feature, Severity, TicketStatus, TicketType, Tier

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CONFIG = IntakeConfig()


def request(**overrides: object) -> OpenTicket:
    fields: dict[str, object] = {"contact_email": "ann@example.com", "subject": "Login fails"}
    return OpenTicket(**{**fields, **overrides})  # type: ignore[arg-type]


async def open_(uow, entitlements, cmd: OpenTicket | None = None, **kwargs):
    return await admission.open_ticket(
        cmd or request(), uow=uow, entitlements=entitlements, config=CONFIG, now=NOW, **kwargs
    )


class TestOpenTicket:
    async def test_an_active_contact_gets_a_new_ticket_announced_once(
        self, uow, entitlements, contact
    ) -> None:
        terms = contact(tier=Tier.standard)

        admitted = await open_(uow, entitlements)

        ticket = admitted.ticket
        assert admitted.created
        assert uow.committed
        assert (ticket.status, ticket.customer_id, ticket.tier_priority) == (
            TicketStatus.new,
            terms.customer_id,
            4,
        )
        assert ticket.registration_number == "TP-2026-000001"
        [(sequence, event)] = uow.events
        assert sequence == 1
        assert isinstance(event, TicketCreated)
        assert event.policy == terms.policy

    async def test_a_stranger_is_refused_and_nothing_is_written(self, uow, entitlements) -> None:
        with pytest.raises(Forbidden) as err:
            await open_(uow, entitlements)

        assert err.value.slug == "not-entitled"
        assert (uow.events, uow.committed) == ([], False)

    async def test_a_key_bound_to_another_customer_is_refused(
        self, uow, entitlements, contact
    ) -> None:
        contact()

        with pytest.raises(Forbidden):
            await open_(uow, entitlements, scope=uuid4())

        assert uow.events == []

    @pytest.mark.parametrize("channel", [Channel.email, Channel.chat])
    async def test_message_channels_are_sent_to_their_own_endpoints(
        self, uow, entitlements, contact, channel: Channel
    ) -> None:
        contact()

        with pytest.raises(Unprocessable):
            await open_(uow, entitlements, request(channel=channel))


class TestOpenTicketLimit:
    async def test_the_limit_refuses_naming_the_open_ticket(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.basic, max_open_tickets=1)
        first = (await open_(uow, entitlements)).ticket
        uow.committed = False

        with pytest.raises(Conflict) as err:
            await open_(uow, entitlements)

        assert err.value.slug == "open-ticket-limit"
        assert err.value.extensions["open_registration_numbers"] == [first.registration_number]
        assert not uow.committed
        assert len(uow.events) == 1

    async def test_an_unlimited_tier_never_reads_the_open_tickets(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.premium, max_open_tickets=None)
        read: list[object] = []

        async def open_of(customer_id: object) -> list[object]:
            read.append(customer_id)
            return []

        uow.tickets.open_of = open_of
        for _ in range(3):
            assert (await open_(uow, entitlements)).created

        assert read == []

    async def test_a_limited_tier_reads_them_for_each_admission(
        self, uow, entitlements, contact
    ) -> None:
        terms = contact(tier=Tier.basic, max_open_tickets=2)
        original, read = uow.tickets.open_of, []

        async def open_of(customer_id: object) -> list[object]:
            read.append(customer_id)
            return await original(customer_id)

        uow.tickets.open_of = open_of
        await open_(uow, entitlements)

        assert read == [terms.customer_id]

    async def test_admission_holds_the_customer_lock(self, uow, entitlements, contact) -> None:
        terms = contact(max_open_tickets=1)

        await open_(uow, entitlements)

        assert uow.locks == [terms.customer_id]

    async def test_a_tier_that_a_raise_could_still_move_holds_the_customer_lock(
        self, uow, entitlements, contact
    ) -> None:
        terms = contact(tier=Tier.business)

        await open_(uow, entitlements)

        assert uow.locks == [terms.customer_id]

    async def test_premium_without_a_limit_admits_without_the_customer_lock(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.premium)

        await open_(uow, entitlements)

        assert (uow.locks, uow.key_locks) == ([], [])

    async def test_premium_with_an_idempotency_key_locks_only_that_key(
        self, uow, entitlements, contact
    ) -> None:
        terms = contact(tier=Tier.premium)

        first = await open_(uow, entitlements, request(idempotency_key="k-1"))
        again = await open_(uow, entitlements, request(idempotency_key="k-1"))

        assert (again.created, again.ticket.id) == (False, first.ticket.id)
        assert uow.locks == []
        assert uow.key_locks == [(terms.customer_id, "k-1")] * 2


class TestFeatures:
    async def test_a_missing_feature_is_refused_naming_the_tiers_with_it(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.extended, features={Feature.on_site_visit: False})
        cmd = request(type=TicketType.service_request, requested_feature=Feature.on_site_visit)

        with pytest.raises(Forbidden) as err:
            await open_(uow, entitlements, cmd)

        assert err.value.extensions["tiers"] == ["premium", "business"]
        assert "premium, business" in err.value.detail
        assert uow.events == []

    async def test_an_included_feature_is_admitted(self, uow, entitlements, contact) -> None:
        contact(tier=Tier.premium, features={Feature.on_site_visit: True})
        cmd = request(type=TicketType.service_request, requested_feature=Feature.on_site_visit)

        admitted = await open_(uow, entitlements, cmd)

        assert admitted.ticket.requested_feature == Feature.on_site_visit


class TestSeverityCap:
    @pytest.mark.parametrize("asked", [Severity.critical, Severity.high])
    async def test_the_policy_caps_basic_once_at_admission(
        self, uow, entitlements, contact, asked: Severity
    ) -> None:
        contact(tier=Tier.basic)

        ticket = (await open_(uow, entitlements, request(severity=asked))).ticket

        assert (ticket.severity, ticket.requested_severity, ticket.severity_capped) == (
            Severity.medium,
            asked,
            True,
        )
        [(_, event)] = uow.events
        assert isinstance(event, TicketCreated)
        assert (event.severity, event.severity_capped) == (Severity.medium, True)

    async def test_a_policy_without_a_cap_serves_what_was_asked(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.basic, caps={})

        ticket = (await open_(uow, entitlements, request(severity=Severity.critical))).ticket

        assert (ticket.severity, ticket.severity_capped) == (Severity.critical, False)

    async def test_standard_keeps_critical(self, uow, entitlements, contact) -> None:
        contact(tier=Tier.standard)

        ticket = (await open_(uow, entitlements, request(severity=Severity.critical))).ticket

        assert (ticket.severity, ticket.severity_capped) == (Severity.critical, False)


class TestIdempotency:
    async def test_the_same_key_and_request_return_the_first_ticket(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        cmd = request(idempotency_key="k-1", fingerprint="f-1")
        first = await open_(uow, entitlements, cmd)
        uow.committed = False

        again = await open_(uow, entitlements, cmd)

        assert (again.created, again.ticket.id) == (False, first.ticket.id)
        assert not uow.committed
        assert len(uow.events) == 1

    async def test_the_same_key_for_another_request_is_refused(
        self, uow, entitlements, contact
    ) -> None:
        contact()
        await open_(uow, entitlements, request(idempotency_key="k-1", fingerprint="f-1"))

        with pytest.raises(Unprocessable) as err:
            await open_(uow, entitlements, request(idempotency_key="k-1", fingerprint="f-2"))

        assert err.value.slug == "idempotency-key-reused"


class TestKnowledgeBase:
    async def test_basic_gets_the_articles_in_a_first_public_comment(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.basic)
        uow.articles.hits = [ArticleHit(id=uuid4(), kind="known_error", title="Reset", rank=1.0)]

        admitted = await open_(uow, entitlements)

        [note] = uow.comments.items
        assert note.public
        assert "Reset" in note.body
        assert [(s, e.TYPE) for s, e in uow.events] == [
            (1, "ticket.created"),
            (2, "ticket.commented"),
        ]
        assert admitted.ticket.version == 2

    async def test_other_tiers_get_the_suggestions_without_a_comment(
        self, uow, entitlements, contact
    ) -> None:
        contact(tier=Tier.standard)
        uow.articles.hits = [ArticleHit(id=uuid4(), kind="known_error", title="Reset", rank=1.0)]

        admitted = await open_(uow, entitlements)

        assert [a.title for a in admitted.articles] == ["Reset"]
        assert uow.comments.items == []
