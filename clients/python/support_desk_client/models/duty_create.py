from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.duty_create_line_type_0 import DutyCreateLineType0
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="DutyCreate")



@_attrs_define
class DutyCreate:
    """ 
        Attributes:
            ends_at (datetime.datetime):
            staff_id (UUID):
            starts_at (datetime.datetime):
            line (DutyCreateLineType0 | None | Unset):
     """

    ends_at: datetime.datetime
    staff_id: UUID
    starts_at: datetime.datetime
    line: DutyCreateLineType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        ends_at = self.ends_at.isoformat()

        staff_id = str(self.staff_id)

        starts_at = self.starts_at.isoformat()

        line: int | None | Unset
        if isinstance(self.line, Unset):
            line = UNSET
        elif isinstance(self.line, DutyCreateLineType0):
            line = self.line.value
        else:
            line = self.line


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "ends_at": ends_at,
            "staff_id": staff_id,
            "starts_at": starts_at,
        })
        if line is not UNSET:
            field_dict["line"] = line

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))




        staff_id = UUID(d.pop("staff_id"))




        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))




        def _parse_line(data: object) -> DutyCreateLineType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                line_type_0 = DutyCreateLineType0(data)



                return line_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DutyCreateLineType0 | None | Unset, data)

        line = _parse_line(d.pop("line", UNSET))


        duty_create = cls(
            ends_at=ends_at,
            staff_id=staff_id,
            starts_at=starts_at,
            line=line,
        )

        return duty_create

