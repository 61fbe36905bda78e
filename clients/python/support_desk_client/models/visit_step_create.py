from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.visit_step import VisitStep
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.actor_in import ActorIn





T = TypeVar("T", bound="VisitStepCreate")



@_attrs_define
class VisitStepCreate:
    """ 
        Attributes:
            step (VisitStep): A move of a visit after its request.
            actor (ActorIn | None | Unset):
            engineer (None | str | Unset):
            reason (None | str | Unset):
            scheduled_at (datetime.datetime | None | Unset):
            time_spent_minutes (int | None | Unset):
     """

    step: VisitStep
    actor: ActorIn | None | Unset = UNSET
    engineer: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    scheduled_at: datetime.datetime | None | Unset = UNSET
    time_spent_minutes: int | None | Unset = UNSET





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

        engineer: None | str | Unset
        if isinstance(self.engineer, Unset):
            engineer = UNSET
        else:
            engineer = self.engineer

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        scheduled_at: None | str | Unset
        if isinstance(self.scheduled_at, Unset):
            scheduled_at = UNSET
        elif isinstance(self.scheduled_at, datetime.datetime):
            scheduled_at = self.scheduled_at.isoformat()
        else:
            scheduled_at = self.scheduled_at

        time_spent_minutes: int | None | Unset
        if isinstance(self.time_spent_minutes, Unset):
            time_spent_minutes = UNSET
        else:
            time_spent_minutes = self.time_spent_minutes


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "step": step,
        })
        if actor is not UNSET:
            field_dict["actor"] = actor
        if engineer is not UNSET:
            field_dict["engineer"] = engineer
        if reason is not UNSET:
            field_dict["reason"] = reason
        if scheduled_at is not UNSET:
            field_dict["scheduled_at"] = scheduled_at
        if time_spent_minutes is not UNSET:
            field_dict["time_spent_minutes"] = time_spent_minutes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        d = dict(src_dict)
        step = VisitStep(d.pop("step"))




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


        def _parse_engineer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        engineer = _parse_engineer(d.pop("engineer", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_scheduled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_at_type_0 = datetime.datetime.fromisoformat(data)



                return scheduled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scheduled_at = _parse_scheduled_at(d.pop("scheduled_at", UNSET))


        def _parse_time_spent_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        time_spent_minutes = _parse_time_spent_minutes(d.pop("time_spent_minutes", UNSET))


        visit_step_create = cls(
            step=step,
            actor=actor,
            engineer=engineer,
            reason=reason,
            scheduled_at=scheduled_at,
            time_spent_minutes=time_spent_minutes,
        )

        return visit_step_create

