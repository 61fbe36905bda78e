"""Staff, the duty roster and stored escalations on an in-memory unit of work: the
refusals the API answers with, acknowledgement, listing and the customer's scope."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from escalation.domain.commands import EscalationFilter, NewShift, NewStaff, StaffFilter
from escalation.domain.decisions import TicketView
from escalation.domain.model import Escalation
from escalation.usecases import escalations, people
from shared.errors import Conflict, NotFound, Unprocessable
from shared.events.escalations import EscalationAcknowledged

from .conftest import NIGHT, OFFICE, FakeUnitOfWork

pytestmark = pytest.mark.asyncio(loop_scope="session")


class TestCreateStaff:
    async def test_a_new_member_is_stored_and_committed(self, uow: FakeUnitOfWork) -> None:
        member = await people.create_staff(uow, NewStaff(name="Anna", email="a@v.example", line=2))

        assert await people.get_staff(uow, member.id) == member
        assert (member.language, member.role, member.active) == ("ru", "engineer", True)
        assert uow.committed

    async def test_a_taken_email_is_a_conflict(self, uow: FakeUnitOfWork) -> None:
        await people.create_staff(uow, NewStaff(name="Anna", email="a@v.example", line=2))

        with pytest.raises(Conflict, match="PATCH it instead") as refused:
            await people.create_staff(uow, NewStaff(name="Other", email="a@v.example", line=1))

        assert refused.value.slug == "staff-email-taken"


class TestUpdateStaff:
    async def test_only_the_given_fields_change(self, uow: FakeUnitOfWork) -> None:
        member = await uow.member("Anna", line=2)

        changed = await people.update_staff(uow, member.id, {"line": 3, "chat_id": None})

        assert (changed.line, changed.name, changed.chat_id) == (3, "Anna", None)

    @pytest.mark.parametrize("field", ["name", "email", "language", "line", "role", "active"])
    async def test_a_field_a_member_always_has_cannot_be_null(
        self, uow: FakeUnitOfWork, field: str
    ) -> None:
        member = await uow.member("Anna")

        with pytest.raises(Unprocessable) as refused:
            await people.update_staff(uow, member.id, {field: None})

        assert refused.value.slug == "null-field"
        assert uow.staff.members[member.id] == member

    async def test_no_change_answers_the_member_as_it_is(self, uow: FakeUnitOfWork) -> None:
        member = await uow.member("Anna")

        assert await people.update_staff(uow, member.id, {}) == member
        assert not uow.committed

    async def test_an_unknown_member_is_not_found(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound):
            await people.update_staff(uow, uuid4(), {"line": 2})

    async def test_another_members_email_is_a_conflict(self, uow: FakeUnitOfWork) -> None:
        await uow.member("Anna")
        boris = await uow.member("Boris")

        with pytest.raises(Conflict):
            await people.update_staff(uow, boris.id, {"email": "anna@vendor.example"})


class TestListStaff:
    async def test_filters_by_line_role_and_active_ordered_by_line_and_name(
        self, uow: FakeUnitOfWork
    ) -> None:
        await uow.member("Zoe", line=2, role="lead")
        await uow.member("Adam", line=2, role="lead")
        await uow.member("Carl", line=1, role="lead")
        await uow.member("Gone", line=2, role="lead", active=False)

        leads = await people.list_staff(uow, StaffFilter(role="lead", active=True))
        line_two = await people.list_staff(uow, StaffFilter(line=2))

        assert [m.name for m in leads] == ["Carl", "Adam", "Zoe"]
        assert [m.name for m in line_two] == ["Adam", "Gone", "Zoe"]


class TestDuty:
    async def test_a_shift_is_on_the_members_own_line_unless_it_names_one(
        self, uow: FakeUnitOfWork
    ) -> None:
        member = await uow.member("Anna", line=2)
        own = NewShift(member.id, None, NIGHT, NIGHT + timedelta(hours=8))
        other = NewShift(member.id, 3, NIGHT, NIGHT + timedelta(hours=8))

        first = await people.create_shift(uow, own)
        second = await people.create_shift(uow, other)

        assert (first.line, second.line, first.staff_name) == (2, 3, "Anna")

    async def test_a_shift_of_an_unknown_member_is_refused(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(Unprocessable) as refused:
            await people.create_shift(uow, NewShift(uuid4(), 2, NIGHT, NIGHT + timedelta(hours=1)))

        assert refused.value.slug == "unknown-staff"

    async def test_who_is_on_duty_at_an_instant(self, uow: FakeUnitOfWork) -> None:
        anna, boris = await uow.member("Anna", line=2), await uow.member("Boris", line=3)
        await people.create_shift(uow, NewShift(anna.id, None, NIGHT, NIGHT + timedelta(hours=8)))
        await people.create_shift(uow, NewShift(boris.id, None, NIGHT, NIGHT + timedelta(hours=1)))

        at = NIGHT + timedelta(hours=2)
        assert [s.staff_name for s in await people.shifts_at(uow, line=None, at=at)] == ["Anna"]
        assert await people.shifts_at(uow, line=3, at=at) == []
        ended = NIGHT + timedelta(hours=8)
        assert await people.shifts_at(uow, line=2, at=ended) == []  # the end is exclusive


def stored(ticket: TicketView, *, minutes: int = 0, **kw: object) -> Escalation:
    values: dict[str, object] = {
        "id": uuid4(),
        "ticket_id": ticket.ticket_id,
        "customer_id": ticket.customer_id,
        "trigger": "sla.timer.breached",
        "timer": "response",
        "percent": None,
        "from_line": 1,
        "to_line": 2,
        "out_of_hours": False,
        "assign_to": None,
        "recipients": [],
        "reason": None,
        "policy_version": "v",
        "raised_at": OFFICE + timedelta(minutes=minutes),
    }
    values.update(kw)
    return Escalation(**values)  # type: ignore[arg-type]


async def keep(uow: FakeUnitOfWork, *found: Escalation) -> None:
    for escalation in found:
        await uow.escalations.add(escalation, key=str(escalation.id))


class TestAcknowledge:
    async def test_the_first_acknowledgement_wins(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        escalation = stored(ticket)
        await keep(uow, escalation)

        first = await escalations.acknowledge(uow, escalation.id, by="key-a", now=OFFICE)
        again = await escalations.acknowledge(
            uow, escalation.id, by="key-b", now=OFFICE + timedelta(minutes=1)
        )

        assert (first.acknowledged_by, first.acknowledged_at) == ("key-a", OFFICE)
        assert again == first
        [event] = uow.published(EscalationAcknowledged)
        assert (event.escalation_id, event.acknowledged_by) == (escalation.id, "key-a")

    async def test_an_unknown_escalation_is_not_found(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound):
            await escalations.acknowledge(uow, uuid4(), by="k", now=OFFICE)
        assert uow.outbox.events == []


class TestListEscalations:
    async def test_newest_first_with_filters(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        old, new = stored(ticket), stored(ticket, minutes=5, to_line=None, from_line=3)
        await keep(uow, old, new)
        await escalations.acknowledge(uow, old.id, by="k", now=OFFICE)

        listed = await escalations.list_escalations(uow, EscalationFilter())
        open_ = await escalations.list_escalations(uow, EscalationFilter(state="open"))
        line_three = await escalations.list_escalations(uow, EscalationFilter(line=3))

        assert [e.id for e in listed] == [new.id, old.id]
        assert [e.id for e in open_] == [new.id]
        assert [e.id for e in line_three] == [new.id]  # the line it sits on, moved or not

    async def test_get_an_unknown_escalation_is_not_found(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound):
            await escalations.get_escalation(uow, uuid4())


class TestTicketEscalations:
    async def test_oldest_first(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        late, early = stored(ticket, minutes=9), stored(ticket)
        await keep(uow, late, early)

        found = await escalations.ticket_escalations(uow, ticket.ticket_id, scope=None)

        assert [e.id for e in found] == [early.id, late.id]

    async def test_a_customer_sees_only_its_own_tickets(self, uow: FakeUnitOfWork) -> None:
        ticket = await uow.ticket()
        await keep(uow, stored(ticket))

        own = await escalations.ticket_escalations(uow, ticket.ticket_id, scope=ticket.customer_id)
        with pytest.raises(NotFound):
            await escalations.ticket_escalations(uow, ticket.ticket_id, scope=uuid4())
        with pytest.raises(NotFound):
            await escalations.ticket_escalations(uow, uuid4(), scope=ticket.customer_id)

        assert len(own) == 1
