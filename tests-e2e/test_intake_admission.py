"""Intake admission through the gateway: contacts, limits, severity cap, features, idempotency, channels."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from deskstack.stack import RunningStack
from shared.events.topics import TICKETS
from shared.testing.builders import (
    make_contact,
    make_customer,
    make_customer_contact,
    make_ticket,
    move,
    unique,
)
from shared.testing.observer import TopicObserver

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


class TestWhoMayOpen:
    async def test_unknown_address_is_refused_with_the_reason(self, api: httpx.AsyncClient) -> None:
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": f"{unique('x')}@nowhere.example", "subject": "Hi"},
        )
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "active contact" in r.json()["detail"]

    async def test_deactivated_contact_is_refused(self, api: httpx.AsyncClient) -> None:
        customer, contact = await make_customer_contact(api)
        r = await api.post(
            f"/api/v1/customers/{customer['id']}/contacts/{contact['id']}/deactivate"
        )
        assert r.status_code == 200, r.text
        r = await api.post(
            "/api/v1/tickets", json={"contact_email": contact["email"], "subject": "Hi"}
        )
        assert r.status_code == 403
        assert r.json()["type"].endswith("/not-entitled")

    async def test_unknown_fields_are_refused(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api)
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": contact["email"], "subject": "Hi", "status": "closed"},
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "body.status"


class TestOpenTicketLimit:
    async def test_two_concurrent_posts_give_one_201_and_one_409_naming_the_open_ticket(
        self, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        body = {"contact_email": contact["email"], "subject": "Printing fails"}
        first, second = await asyncio.gather(
            api.post("/api/v1/tickets", json=body), api.post("/api/v1/tickets", json=body)
        )
        codes = sorted([first.status_code, second.status_code])
        assert codes == [201, 409], (first.text, second.text)
        created = first if first.status_code == 201 else second
        refused = second if created is first else first
        problem = refused.json()
        assert problem["open_tickets"] == [created.json()["id"]]
        assert created.json()["registration_number"] in problem["detail"]

    async def test_premium_has_no_limit_so_concurrent_posts_all_open_distinct_tickets(
        self, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api, "premium")
        body = {"contact_email": contact["email"], "subject": "Many at once"}
        answers = await asyncio.gather(*(api.post("/api/v1/tickets", json=body) for _ in range(5)))
        assert [r.status_code for r in answers] == [201] * 5, [r.text for r in answers]
        numbers = {r.json()["registration_number"] for r in answers}
        assert len(numbers) == 5

    async def test_a_resolved_ticket_frees_the_place(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api)
        ticket = await make_ticket(api, contact["email"])
        assert (await move(api, ticket["id"], "take", assignee="eng-1")).status_code == 200
        assert (await move(api, ticket["id"], "resolve")).status_code == 200
        await make_ticket(api, contact["email"], subject="Another question")


class TestSeverityCap:
    @pytest.mark.parametrize("severity", ["critical", "high"])
    async def test_basic_critical_or_high_is_accepted_as_medium(
        self, api: httpx.AsyncClient, severity: str
    ) -> None:
        _, contact = await make_customer_contact(api)
        ticket = await make_ticket(api, contact["email"], severity=severity)
        assert (ticket["tier"], ticket["severity"], ticket["severity_capped"]) == (
            "basic",
            "medium",
            True,
        )

    async def test_standard_keeps_critical(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api, "standard")
        ticket = await make_ticket(api, contact["email"], severity="critical")
        assert (ticket["severity"], ticket["severity_capped"]) == ("critical", False)


class TestFeatures:
    @pytest.mark.parametrize(
        ("feature", "tiers"),
        [
            ("on_site_visit", ["premium", "business"]),
            ("performance_analysis", ["premium", "business"]),
            ("remote_access", ["premium", "business", "extended"]),
            ("scheduled_maintenance", ["premium"]),
        ],
    )
    async def test_service_request_for_a_missing_feature_names_the_tiers_with_it(
        self, api: httpx.AsyncClient, feature: str, tiers: list[str]
    ) -> None:
        _, contact = await make_customer_contact(api, "standard")
        r = await api.post(
            "/api/v1/tickets",
            json={
                "contact_email": contact["email"],
                "subject": "Please come over",
                "type": "service_request",
                "requested_feature": feature,
            },
        )
        assert r.status_code == 403, r.text
        assert r.json()["tiers"] == tiers
        assert all(t in r.json()["detail"] for t in tiers)

    async def test_a_feature_every_tier_has_is_admitted(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api)
        ticket = await make_ticket(
            api,
            contact["email"],
            type="service_request",
            requested_feature="installation_consulting",
        )
        assert ticket["requested_feature"] == "installation_consulting"

    async def test_contract_tier_gets_the_feature(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api, "business")
        ticket = await make_ticket(
            api, contact["email"], type="service_request", requested_feature="on_site_visit"
        )
        assert ticket["tier"] == "business"


class TestIdempotency:
    # Premium admits without the customer lock (docs/decisions.md): its key lock must
    # still make the twin wait and replay.
    @pytest.mark.parametrize("tier", ["basic", "premium"])
    async def test_a_retried_post_returns_the_same_ticket(
        self, api: httpx.AsyncClient, tier: str
    ) -> None:
        _, contact = await make_customer_contact(api, tier)
        body = {"contact_email": contact["email"], "subject": "Retry me"}
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        first, concurrent = await asyncio.gather(
            api.post("/api/v1/tickets", json=body, headers=headers),
            api.post("/api/v1/tickets", json=body, headers=headers),
        )
        assert sorted([first.status_code, concurrent.status_code]) == [200, 201]
        again = await api.post("/api/v1/tickets", json=body, headers=headers)
        assert again.status_code == 200
        assert first.json()["id"] == concurrent.json()["id"] == again.json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"

    async def test_the_same_key_for_a_different_request_is_refused(
        self, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api)
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        body = {"contact_email": contact["email"], "subject": "One"}
        assert (await api.post("/api/v1/tickets", json=body, headers=headers)).status_code == 201
        r = await api.post("/api/v1/tickets", json={**body, "subject": "Another"}, headers=headers)
        assert r.status_code == 422
        assert r.json()["type"].endswith("/idempotency-key-reused")

    @pytest.mark.parametrize("key", ["", "k" * 201, "a b", "tab\there"])
    async def test_an_empty_blank_or_overlong_key_is_refused(
        self, api: httpx.AsyncClient, key: str
    ) -> None:
        _, contact = await make_customer_contact(api)
        body = {"contact_email": contact["email"], "subject": "Odd key"}
        r = await api.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": key})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == ["header.idempotency-key"]


class TestTenantIsolation:
    async def test_a_customer_key_sees_and_opens_only_its_own_tickets(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        mine, my_contact = await make_customer_contact(api)
        _, their_contact = await make_customer_contact(api)
        theirs = await make_ticket(api, their_contact["email"])
        r = await api.post(
            "/api/v1/api-keys",
            json={"name": unique("portal"), "role": "bot", "customer_id": mine["id"]},
        )
        assert r.status_code == 201, r.text
        async with httpx.AsyncClient(
            base_url=stack.gateway_url,
            headers={"Authorization": f"Bearer {r.json()['key']}"},
            timeout=30,
        ) as portal:
            own = await make_ticket(portal, my_contact["email"])
            assert (await portal.get(f"/api/v1/tickets/{theirs['id']}")).status_code == 404
            assert (await portal.get(f"/api/v1/tickets/{own['id']}")).status_code == 200
            listed = (await portal.get("/api/v1/tickets")).json()["items"]
            assert [t["id"] for t in listed] == [own["id"]]
            r = await portal.post(
                "/api/v1/tickets", json={"contact_email": their_contact["email"], "subject": "x"}
            )
            assert r.status_code == 403
            r = await portal.post(
                f"/api/v1/tickets/{theirs['id']}/comments",
                json={
                    "body": "hi",
                    "actor": {"kind": "customer", "contact_email": my_contact["email"]},
                },
            )
            assert r.status_code == 404
            assert (await portal.get("/api/v1/queue")).status_code == 403


class TestChannels:
    async def test_api_web_form_and_phone_keep_their_channel(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        contacts = [(await make_customer_contact(api))[1]["email"] for _ in range(3)]
        api_ticket = await make_ticket(api, contacts[0])
        r = await api.post(
            "/api/v1/intake/web-form",
            content=f"contact_email={contacts[1]}&subject=Form+post&description=From+the+site",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 201, r.text
        web_ticket = r.json()
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            phone_ticket = await make_ticket(
                api, contacts[2], channel="phone", entered_by="agent-olga", subject="Called in"
            )
            created = await observer.wait_for(
                lambda s: s.type == "ticket.created" and s.subject == phone_ticket["id"]
            )
        assert api_ticket["channel"] == "api"
        assert (web_ticket["channel"], web_ticket["description"]) == ("web", "From the site")
        assert (phone_ticket["channel"], phone_ticket["entered_by"]) == ("phone", "agent-olga")
        assert created[0].data["entered_by"] == "agent-olga"
        assert created[0].value["sequence"] == 1

    async def test_web_form_with_a_missing_field_says_which(self, api: httpx.AsyncClient) -> None:
        r = await api.post(
            "/api/v1/intake/web-form",
            content="subject=No+sender",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 422
        assert [e["field"] for e in r.json()["errors"]] == ["body.contact_email"]

    async def test_phone_needs_the_agent_who_entered_it(self, api: httpx.AsyncClient) -> None:
        _, contact = await make_customer_contact(api)
        r = await api.post(
            "/api/v1/tickets",
            json={"contact_email": contact["email"], "subject": "Call", "channel": "phone"},
        )
        assert r.status_code == 422
        assert "entered_by" in r.text

    @pytest.mark.parametrize("channel", ["email", "chat"])
    async def test_email_and_chat_on_the_generic_endpoint_point_to_their_own(
        self, api: httpx.AsyncClient, channel: str
    ) -> None:
        # Without a message id a re-sent message would make a second ticket: refused.
        _, contact = await make_customer_contact(api)
        body = {"contact_email": contact["email"], "subject": "Mail", "channel": channel}
        r = await api.post("/api/v1/tickets", json=body)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["field"] == "channel"
        assert problem["endpoint"] == f"/api/v1/intake/{channel}"
        assert f"/api/v1/intake/{channel}" in problem["detail"]
        listed = await api.get("/api/v1/tickets", params={"customer_id": contact["customer_id"]})
        assert listed.status_code == 200
        assert listed.json()["items"] == []

    async def test_a_bot_cannot_enter_a_phone_ticket(
        self, api: httpx.AsyncClient, bot: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api)
        r = await bot.post(
            "/api/v1/tickets",
            json={
                "contact_email": contact["email"],
                "subject": "Call",
                "channel": "phone",
                "entered_by": "me",
            },
        )
        assert r.status_code == 403
        assert r.json()["type"].endswith("/agent-only")


async def email(api: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await api.post("/api/v1/intake/email", json=body)


class TestEmail:
    async def test_new_message_opens_a_ticket_and_a_reply_becomes_a_comment(
        self, stack: RunningStack, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api)
        first_id = f"<{unique('m')}@mail.example>"
        async with TopicObserver(stack.bootstrap, [TICKETS]) as observer:
            r = await email(
                api,
                **{"from": contact["email"]},
                to="support@vendor.example",
                subject="Export hangs",
                body="The export hangs at 50 %",
                message_id=first_id,
            )
            assert r.status_code == 201, r.text
            ticket = r.json()["ticket"]
            assert (r.json()["outcome"], ticket["channel"]) == ("ticket_created", "email")
            assert ticket["contact_email"] == contact["email"]

            reply = await email(
                api,
                **{"from": contact["email"]},
                subject="Re: Export hangs",
                body="It also hangs at 60 %",
                message_id=f"<{unique('m')}@mail.example>",
                in_reply_to=first_id,
            )
            assert reply.status_code == 201, reply.text
            assert reply.json()["outcome"] == "comment_added"
            assert reply.json()["ticket"]["id"] == ticket["id"]
            commented = await observer.wait_for(
                lambda s: s.type == "ticket.commented" and s.subject == ticket["id"]
            )
        assert commented[0].data["body"] == "It also hangs at 60 %"
        assert commented[0].data["channel"] == "email"

    async def test_a_reply_is_threaded_by_the_registration_number_in_the_subject(
        self, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api)
        ticket = await make_ticket(api, contact["email"])
        r = await email(
            api,
            **{"from": contact["email"]},
            subject=f"Re: [{ticket['registration_number']}] Cannot post documents",
            body="Here are the logs",
            message_id=unique("m"),
            in_reply_to="<unknown@elsewhere>",
        )
        assert r.status_code == 201, r.text
        assert (r.json()["outcome"], r.json()["ticket"]["id"]) == ("comment_added", ticket["id"])
        comments = (await api.get(f"/api/v1/tickets/{ticket['id']}/comments")).json()
        assert [c["body"] for c in comments] == ["Here are the logs"]

    async def test_the_same_message_id_twice_has_no_second_effect(
        self, api: httpx.AsyncClient
    ) -> None:
        _, contact = await make_customer_contact(api)
        body = {
            "from": contact["email"],
            "subject": "Duplicate",
            "body": "Sent twice",
            "message_id": f"<{unique('m')}@x>",
        }
        first, second = await asyncio.gather(email(api, **body), email(api, **body))
        assert sorted([first.status_code, second.status_code]) == [200, 201]
        assert first.json()["ticket"]["id"] == second.json()["ticket"]["id"]
        third = await email(api, **body)
        assert (third.status_code, third.json()["duplicate"]) == (200, True)
        r = await api.get(
            "/api/v1/tickets", params={"customer_id": first.json()["ticket"]["customer_id"]}
        )
        assert len(r.json()["items"]) == 1

    async def test_a_reply_from_another_customer_is_refused(self, api: httpx.AsyncClient) -> None:
        _, owner = await make_customer_contact(api)
        _, stranger = await make_customer_contact(api)
        ticket = await make_ticket(api, owner["email"])
        r = await email(
            api,
            **{"from": stranger["email"]},
            subject=f"Re: {ticket['registration_number']}",
            body="me too",
            message_id=unique("m"),
        )
        assert r.status_code == 403
        assert r.json()["type"].endswith("/not-customers-contact")

    async def test_mail_from_a_stranger_is_refused(self, api: httpx.AsyncClient) -> None:
        r = await email(
            api,
            **{"from": f"{unique('s')}@spam.example"},
            subject="Buy",
            body="x",
            message_id=unique("m"),
        )
        assert r.status_code == 403


class TestChat:
    async def test_chat_opens_threads_and_dedupes(self, api: httpx.AsyncClient) -> None:
        customer = await make_customer(api)
        chat_id = unique("chat")
        await make_contact(api, customer["id"], chat_id=chat_id)
        first = {"chat_id": chat_id, "message_id": unique("cm"), "text": "Login fails\nsince 9:00"}
        r = await api.post("/api/v1/intake/chat", json=first)
        assert r.status_code == 201, r.text
        ticket = r.json()["ticket"]
        assert (ticket["channel"], ticket["subject"], ticket["customer_id"]) == (
            "chat",
            "Login fails",
            customer["id"],
        )
        again = await api.post("/api/v1/intake/chat", json=first)
        assert (again.status_code, again.json()["duplicate"], again.json()["ticket"]["id"]) == (
            200,
            True,
            ticket["id"],
        )
        reply = await api.post(
            "/api/v1/intake/chat",
            json={
                "chat_id": chat_id,
                "message_id": unique("cm"),
                "text": "Still failing",
                "reply_to_message_id": first["message_id"],
            },
        )
        assert reply.status_code == 201, reply.text
        assert (reply.json()["outcome"], reply.json()["ticket"]["id"]) == (
            "comment_added",
            ticket["id"],
        )
        by_number = await api.post(
            "/api/v1/intake/chat",
            json={
                "chat_id": chat_id,
                "message_id": unique("cm"),
                "text": f"About {ticket['registration_number']}: fixed itself",
            },
        )
        assert by_number.json()["outcome"] == "comment_added"
        comments = (await api.get(f"/api/v1/tickets/{ticket['id']}/comments")).json()
        assert [c["body"] for c in comments][-2:] == [
            "Still failing",
            f"About {ticket['registration_number']}: fixed itself",
        ]

    async def test_unknown_chat_is_refused(self, api: httpx.AsyncClient) -> None:
        r = await api.post(
            "/api/v1/intake/chat",
            json={"chat_id": unique("nochat"), "message_id": "1", "text": "hi"},
        )
        assert r.status_code == 403
