from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.timer_read import TimerRead





T = TypeVar("T", bound="SlaRead")



@_attrs_define
class SlaRead:
    """ 
        Attributes:
            breached (bool):
            next_due_at (datetime.datetime | None):
            timers (list[TimerRead]):
     """

    breached: bool
    next_due_at: datetime.datetime | None
    timers: list[TimerRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.timer_read import TimerRead # noqa: PLC0415
        breached = self.breached

        next_due_at: None | str
        if isinstance(self.next_due_at, datetime.datetime):
            next_due_at = self.next_due_at.isoformat()
        else:
            next_due_at = self.next_due_at

        timers = []
        for timers_item_data in self.timers:
            timers_item = timers_item_data.to_dict()
            timers.append(timers_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "breached": breached,
            "next_due_at": next_due_at,
            "timers": timers,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timer_read import TimerRead # noqa: PLC0415
        d = dict(src_dict)
        breached = d.pop("breached")

        def _parse_next_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_due_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_due_at = _parse_next_due_at(d.pop("next_due_at"))


        timers = []
        _timers = d.pop("timers")
        for timers_item_data in (_timers):
            timers_item = TimerRead.from_dict(timers_item_data)



            timers.append(timers_item)


        sla_read = cls(
            breached=breached,
            next_due_at=next_due_at,
            timers=timers,
        )


        sla_read.additional_properties = d
        return sla_read

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
