from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.action import Action
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.actor_in import ActorIn





T = TypeVar("T", bound="TransitionCreate")



@_attrs_define
class TransitionCreate:
    """ 
        Attributes:
            action (Action):
            actor (ActorIn | None | Unset):
            assignee (None | str | Unset):
            reason (None | str | Unset):
            report (None | str | Unset):
     """

    action: Action
    actor: ActorIn | None | Unset = UNSET
    assignee: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    report: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        action = self.action.value

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, ActorIn):
            actor = self.actor.to_dict()
        else:
            actor = self.actor

        assignee: None | str | Unset
        if isinstance(self.assignee, Unset):
            assignee = UNSET
        else:
            assignee = self.assignee

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        report: None | str | Unset
        if isinstance(self.report, Unset):
            report = UNSET
        else:
            report = self.report


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "action": action,
        })
        if actor is not UNSET:
            field_dict["actor"] = actor
        if assignee is not UNSET:
            field_dict["assignee"] = assignee
        if reason is not UNSET:
            field_dict["reason"] = reason
        if report is not UNSET:
            field_dict["report"] = report

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        d = dict(src_dict)
        action = Action(d.pop("action"))




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


        def _parse_assignee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assignee = _parse_assignee(d.pop("assignee", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_report(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        report = _parse_report(d.pop("report", UNSET))


        transition_create = cls(
            action=action,
            actor=actor,
            assignee=assignee,
            reason=reason,
            report=report,
        )

        return transition_create

