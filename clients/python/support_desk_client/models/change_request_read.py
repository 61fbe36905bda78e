from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.change_request_read_details import ChangeRequestReadDetails





T = TypeVar("T", bound="ChangeRequestRead")



@_attrs_define
class ChangeRequestRead:
    """ 
        Attributes:
            allowed_steps (list[str]):
            cr_status (str):
            details (ChangeRequestReadDetails):
            registration_number (str):
            ticket_id (UUID):
     """

    allowed_steps: list[str]
    cr_status: str
    details: ChangeRequestReadDetails
    registration_number: str
    ticket_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.change_request_read_details import ChangeRequestReadDetails # noqa: PLC0415
        allowed_steps = self.allowed_steps



        cr_status = self.cr_status

        details = self.details.to_dict()

        registration_number = self.registration_number

        ticket_id = str(self.ticket_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "allowed_steps": allowed_steps,
            "cr_status": cr_status,
            "details": details,
            "registration_number": registration_number,
            "ticket_id": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.change_request_read_details import ChangeRequestReadDetails # noqa: PLC0415
        d = dict(src_dict)
        allowed_steps = cast(list[str], d.pop("allowed_steps"))


        cr_status = d.pop("cr_status")

        details = ChangeRequestReadDetails.from_dict(d.pop("details"))




        registration_number = d.pop("registration_number")

        ticket_id = UUID(d.pop("ticket_id"))




        change_request_read = cls(
            allowed_steps=allowed_steps,
            cr_status=cr_status,
            details=details,
            registration_number=registration_number,
            ticket_id=ticket_id,
        )


        change_request_read.additional_properties = d
        return change_request_read

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
