from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.cr_step import CrStep
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.actor_in import ActorIn





T = TypeVar("T", bound="ChangeRequestStep")



@_attrs_define
class ChangeRequestStep:
    """ 
        Attributes:
            step (CrStep):
            actor (ActorIn | None | Unset):
            comment (None | str | Unset):
            cost (float | None | str | Unset):
            currency (str | Unset):  Default: 'RUB'.
            defect_protocol (None | str | Unset):
            delivery_date (datetime.date | None | Unset):
            instructions (None | str | Unset):
            person_hours (float | None | str | Unset):
            release_package (None | str | Unset):
            test_plan (None | str | Unset):
            work_plan (None | str | Unset):
     """

    step: CrStep
    actor: ActorIn | None | Unset = UNSET
    comment: None | str | Unset = UNSET
    cost: float | None | str | Unset = UNSET
    currency: str | Unset = 'RUB'
    defect_protocol: None | str | Unset = UNSET
    delivery_date: datetime.date | None | Unset = UNSET
    instructions: None | str | Unset = UNSET
    person_hours: float | None | str | Unset = UNSET
    release_package: None | str | Unset = UNSET
    test_plan: None | str | Unset = UNSET
    work_plan: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        step = self.step.value

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, ActorIn):
            actor = self.actor.to_dict()
        else:
            actor = self.actor

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        cost: float | None | str | Unset
        if isinstance(self.cost, Unset):
            cost = UNSET
        else:
            cost = self.cost

        currency = self.currency

        defect_protocol: None | str | Unset
        if isinstance(self.defect_protocol, Unset):
            defect_protocol = UNSET
        else:
            defect_protocol = self.defect_protocol

        delivery_date: None | str | Unset
        if isinstance(self.delivery_date, Unset):
            delivery_date = UNSET
        elif isinstance(self.delivery_date, datetime.date):
            delivery_date = self.delivery_date.isoformat()
        else:
            delivery_date = self.delivery_date

        instructions: None | str | Unset
        if isinstance(self.instructions, Unset):
            instructions = UNSET
        else:
            instructions = self.instructions

        person_hours: float | None | str | Unset
        if isinstance(self.person_hours, Unset):
            person_hours = UNSET
        else:
            person_hours = self.person_hours

        release_package: None | str | Unset
        if isinstance(self.release_package, Unset):
            release_package = UNSET
        else:
            release_package = self.release_package

        test_plan: None | str | Unset
        if isinstance(self.test_plan, Unset):
            test_plan = UNSET
        else:
            test_plan = self.test_plan

        work_plan: None | str | Unset
        if isinstance(self.work_plan, Unset):
            work_plan = UNSET
        else:
            work_plan = self.work_plan


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "step": step,
        })
        if actor is not UNSET:
            field_dict["actor"] = actor
        if comment is not UNSET:
            field_dict["comment"] = comment
        if cost is not UNSET:
            field_dict["cost"] = cost
        if currency is not UNSET:
            field_dict["currency"] = currency
        if defect_protocol is not UNSET:
            field_dict["defect_protocol"] = defect_protocol
        if delivery_date is not UNSET:
            field_dict["delivery_date"] = delivery_date
        if instructions is not UNSET:
            field_dict["instructions"] = instructions
        if person_hours is not UNSET:
            field_dict["person_hours"] = person_hours
        if release_package is not UNSET:
            field_dict["release_package"] = release_package
        if test_plan is not UNSET:
            field_dict["test_plan"] = test_plan
        if work_plan is not UNSET:
            field_dict["work_plan"] = work_plan

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        d = dict(src_dict)
        step = CrStep(d.pop("step"))




        def _parse_actor(data: object) -> ActorIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                actor_type_0 = ActorIn.from_dict(data)



                return actor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActorIn | None | Unset, data)

        actor = _parse_actor(d.pop("actor", UNSET))


        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))


        def _parse_cost(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        cost = _parse_cost(d.pop("cost", UNSET))


        currency = d.pop("currency", UNSET)

        def _parse_defect_protocol(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        defect_protocol = _parse_defect_protocol(d.pop("defect_protocol", UNSET))


        def _parse_delivery_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivery_date_type_0 = datetime.date.fromisoformat(data)



                return delivery_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        delivery_date = _parse_delivery_date(d.pop("delivery_date", UNSET))


        def _parse_instructions(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instructions = _parse_instructions(d.pop("instructions", UNSET))


        def _parse_person_hours(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        person_hours = _parse_person_hours(d.pop("person_hours", UNSET))


        def _parse_release_package(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        release_package = _parse_release_package(d.pop("release_package", UNSET))


        def _parse_test_plan(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        test_plan = _parse_test_plan(d.pop("test_plan", UNSET))


        def _parse_work_plan(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        work_plan = _parse_work_plan(d.pop("work_plan", UNSET))


        change_request_step = cls(
            step=step,
            actor=actor,
            comment=comment,
            cost=cost,
            currency=currency,
            defect_protocol=defect_protocol,
            delivery_date=delivery_date,
            instructions=instructions,
            person_hours=person_hours,
            release_package=release_package,
            test_plan=test_plan,
            work_plan=work_plan,
        )

        return change_request_step

