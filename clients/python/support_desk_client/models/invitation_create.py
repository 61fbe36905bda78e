from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="InvitationCreate")



@_attrs_define
class InvitationCreate:
    """ 
        Attributes:
            staff_id (UUID): A staff record of escalation (POST /api/v1/staff)
     """

    staff_id: UUID





    def to_dict(self) -> dict[str, Any]:
        staff_id = str(self.staff_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "staff_id": staff_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        staff_id = UUID(d.pop("staff_id"))




        invitation_create = cls(
            staff_id=staff_id,
        )

        return invitation_create

