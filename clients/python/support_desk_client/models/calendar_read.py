from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.calendar_read_overrides import CalendarReadOverrides
  from ..models.calendar_read_schedules import CalendarReadSchedules





T = TypeVar("T", bound="CalendarRead")



@_attrs_define
class CalendarRead:
    """ 
        Attributes:
            created_at (datetime.datetime | None):
            customer_id (None | UUID):
            overrides (CalendarReadOverrides):
            schedules (CalendarReadSchedules):
            seq (int):
            timezone (str):
            version (str):
     """

    created_at: datetime.datetime | None
    customer_id: None | UUID
    overrides: CalendarReadOverrides
    schedules: CalendarReadSchedules
    seq: int
    timezone: str
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.calendar_read_overrides import CalendarReadOverrides # noqa: PLC0415
        from ..models.calendar_read_schedules import CalendarReadSchedules # noqa: PLC0415
        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        customer_id: None | str
        if isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        overrides = self.overrides.to_dict()

        schedules = self.schedules.to_dict()

        seq = self.seq

        timezone = self.timezone

        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "customer_id": customer_id,
            "overrides": overrides,
            "schedules": schedules,
            "seq": seq,
            "timezone": timezone,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calendar_read_overrides import CalendarReadOverrides # noqa: PLC0415
        from ..models.calendar_read_schedules import CalendarReadSchedules # noqa: PLC0415
        d = dict(src_dict)
        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)



                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))


        def _parse_customer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_id_type_0 = UUID(data)



                return customer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))


        overrides = CalendarReadOverrides.from_dict(d.pop("overrides"))




        schedules = CalendarReadSchedules.from_dict(d.pop("schedules"))




        seq = d.pop("seq")

        timezone = d.pop("timezone")

        version = d.pop("version")

        calendar_read = cls(
            created_at=created_at,
            customer_id=customer_id,
            overrides=overrides,
            schedules=schedules,
            seq=seq,
            timezone=timezone,
            version=version,
        )


        calendar_read.additional_properties = d
        return calendar_read

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
