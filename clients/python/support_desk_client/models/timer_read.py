from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="TimerRead")



@_attrs_define
class TimerRead:
    """ 
        Attributes:
            breached (bool):
            breached_at (datetime.datetime | None):
            due_at (datetime.datetime | None):
            met_at (datetime.datetime | None):
            state (str):
            target (None | str):
            timer (str):
     """

    breached: bool
    breached_at: datetime.datetime | None
    due_at: datetime.datetime | None
    met_at: datetime.datetime | None
    state: str
    target: None | str
    timer: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        breached = self.breached

        breached_at: None | str
        if isinstance(self.breached_at, datetime.datetime):
            breached_at = self.breached_at.isoformat()
        else:
            breached_at = self.breached_at

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        met_at: None | str
        if isinstance(self.met_at, datetime.datetime):
            met_at = self.met_at.isoformat()
        else:
            met_at = self.met_at

        state = self.state

        target: None | str
        target = self.target

        timer = self.timer


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "breached": breached,
            "breached_at": breached_at,
            "due_at": due_at,
            "met_at": met_at,
            "state": state,
            "target": target,
            "timer": timer,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        breached = d.pop("breached")

        def _parse_breached_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                breached_at_type_0 = datetime.datetime.fromisoformat(data)



                return breached_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        breached_at = _parse_breached_at(d.pop("breached_at"))


        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)



                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))


        def _parse_met_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                met_at_type_0 = datetime.datetime.fromisoformat(data)



                return met_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        met_at = _parse_met_at(d.pop("met_at"))


        state = d.pop("state")

        def _parse_target(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target = _parse_target(d.pop("target"))


        timer = d.pop("timer")

        timer_read = cls(
            breached=breached,
            breached_at=breached_at,
            due_at=due_at,
            met_at=met_at,
            state=state,
            target=target,
            timer=timer,
        )


        timer_read.additional_properties = d
        return timer_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
