from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="PhoneConfirmationCreate")



@_attrs_define
class PhoneConfirmationCreate:
    """ 
        Attributes:
            confirmed_at (datetime.datetime):
            confirmed_by (str):
     """

    confirmed_at: datetime.datetime
    confirmed_by: str





    def to_dict(self) -> dict[str, Any]:
        confirmed_at = self.confirmed_at.isoformat()

        confirmed_by = self.confirmed_by


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "confirmed_at": confirmed_at,
            "confirmed_by": confirmed_by,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        confirmed_at = datetime.datetime.fromisoformat(d.pop("confirmed_at"))




        confirmed_by = d.pop("confirmed_by")

        phone_confirmation_create = cls(
            confirmed_at=confirmed_at,
            confirmed_by=confirmed_by,
        )

        return phone_confirmation_create

