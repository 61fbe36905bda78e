from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="VisitRead")



@_attrs_define
class VisitRead:
    """ 
        Attributes:
            address (str):
            allowed_steps (list[str]):
            cancel_reason (None | str):
            done_at (datetime.datetime | None):
            engineer (None | str):
            scheduled_at (datetime.datetime | None):
            status (str):
            ticket_id (UUID):
            time_spent_minutes (int | None):
            visit_id (UUID):
            wished_date (datetime.date):
     """

    address: str
    allowed_steps: list[str]
    cancel_reason: None | str
    done_at: datetime.datetime | None
    engineer: None | str
    scheduled_at: datetime.datetime | None
    status: str
    ticket_id: UUID
    time_spent_minutes: int | None
    visit_id: UUID
    wished_date: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        address = self.address

        allowed_steps = self.allowed_steps



        cancel_reason: None | str
        cancel_reason = self.cancel_reason

        done_at: None | str
        if isinstance(self.done_at, datetime.datetime):
            done_at = self.done_at.isoformat()
        else:
            done_at = self.done_at

        engineer: None | str
        engineer = self.engineer

        scheduled_at: None | str
        if isinstance(self.scheduled_at, datetime.datetime):
            scheduled_at = self.scheduled_at.isoformat()
        else:
            scheduled_at = self.scheduled_at

        status = self.status

        ticket_id = str(self.ticket_id)

        time_spent_minutes: int | None
        time_spent_minutes = self.time_spent_minutes

        visit_id = str(self.visit_id)

        wished_date = self.wished_date.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "address": address,
            "allowed_steps": allowed_steps,
            "cancel_reason": cancel_reason,
            "done_at": done_at,
            "engineer": engineer,
            "scheduled_at": scheduled_at,
            "status": status,
            "ticket_id": ticket_id,
            "time_spent_minutes": time_spent_minutes,
            "visit_id": visit_id,
            "wished_date": wished_date,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        allowed_steps = cast(list[str], d.pop("allowed_steps"))


        def _parse_cancel_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancel_reason"))


        def _parse_done_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                done_at_type_0 = datetime.datetime.fromisoformat(data)



                return done_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        done_at = _parse_done_at(d.pop("done_at"))


        def _parse_engineer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        engineer = _parse_engineer(d.pop("engineer"))


        def _parse_scheduled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_at_type_0 = datetime.datetime.fromisoformat(data)



                return scheduled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        scheduled_at = _parse_scheduled_at(d.pop("scheduled_at"))


        status = d.pop("status")

        ticket_id = UUID(d.pop("ticket_id"))




        def _parse_time_spent_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        time_spent_minutes = _parse_time_spent_minutes(d.pop("time_spent_minutes"))


        visit_id = UUID(d.pop("visit_id"))




        wished_date = datetime.date.fromisoformat(d.pop("wished_date"))




        visit_read = cls(
            address=address,
            allowed_steps=allowed_steps,
            cancel_reason=cancel_reason,
            done_at=done_at,
            engineer=engineer,
            scheduled_at=scheduled_at,
            status=status,
            ticket_id=ticket_id,
            time_spent_minutes=time_spent_minutes,
            visit_id=visit_id,
            wished_date=wished_date,
        )


        visit_read.additional_properties = d
        return visit_read

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
