from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="DutyRead")



@_attrs_define
class DutyRead:
    """ 
        Attributes:
            ends_at (datetime.datetime):
            id (UUID):
            line (int):
            staff_id (UUID):
            staff_name (str):
            starts_at (datetime.datetime):
     """

    ends_at: datetime.datetime
    id: UUID
    line: int
    staff_id: UUID
    staff_name: str
    starts_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ends_at = self.ends_at.isoformat()

        id = str(self.id)

        line = self.line

        staff_id = str(self.staff_id)

        staff_name = self.staff_name

        starts_at = self.starts_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ends_at": ends_at,
            "id": id,
            "line": line,
            "staff_id": staff_id,
            "staff_name": staff_name,
            "starts_at": starts_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))




        id = UUID(d.pop("id"))




        line = d.pop("line")

        staff_id = UUID(d.pop("staff_id"))




        staff_name = d.pop("staff_name")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))




        duty_read = cls(
            ends_at=ends_at,
            id=id,
            line=line,
            staff_id=staff_id,
            staff_name=staff_name,
            starts_at=starts_at,
        )


        duty_read.additional_properties = d
        return duty_read

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
