from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="QueueItem")



@_attrs_define
class QueueItem:
    """ 
        Attributes:
            assignee (None | str):
            breached (bool):
            id (UUID):
            next_due_at (datetime.datetime | None):
            received_at (datetime.datetime):
            registration_number (str):
            severity (str):
            status (str):
            subject (str):
            tier (str):
            tier_priority (int):
            support_line (int | Unset):  Default: 1.
     """

    assignee: None | str
    breached: bool
    id: UUID
    next_due_at: datetime.datetime | None
    received_at: datetime.datetime
    registration_number: str
    severity: str
    status: str
    subject: str
    tier: str
    tier_priority: int
    support_line: int | Unset = 1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        assignee: None | str
        assignee = self.assignee

        breached = self.breached

        id = str(self.id)

        next_due_at: None | str
        if isinstance(self.next_due_at, datetime.datetime):
            next_due_at = self.next_due_at.isoformat()
        else:
            next_due_at = self.next_due_at

        received_at = self.received_at.isoformat()

        registration_number = self.registration_number

        severity = self.severity

        status = self.status

        subject = self.subject

        tier = self.tier

        tier_priority = self.tier_priority

        support_line = self.support_line


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "assignee": assignee,
            "breached": breached,
            "id": id,
            "next_due_at": next_due_at,
            "received_at": received_at,
            "registration_number": registration_number,
            "severity": severity,
            "status": status,
            "subject": subject,
            "tier": tier,
            "tier_priority": tier_priority,
        })
        if support_line is not UNSET:
            field_dict["support_line"] = support_line

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))


        breached = d.pop("breached")

        id = UUID(d.pop("id"))




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


        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))




        registration_number = d.pop("registration_number")

        severity = d.pop("severity")

        status = d.pop("status")

        subject = d.pop("subject")

        tier = d.pop("tier")

        tier_priority = d.pop("tier_priority")

        support_line = d.pop("support_line", UNSET)

        queue_item = cls(
            assignee=assignee,
            breached=breached,
            id=id,
            next_due_at=next_due_at,
            received_at=received_at,
            registration_number=registration_number,
            severity=severity,
            status=status,
            subject=subject,
            tier=tier,
            tier_priority=tier_priority,
            support_line=support_line,
        )


        queue_item.additional_properties = d
        return queue_item

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
