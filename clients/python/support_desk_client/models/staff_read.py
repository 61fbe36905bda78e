from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="StaffRead")



@_attrs_define
class StaffRead:
    """ 
        Attributes:
            active (bool):
            chat_id (None | str):
            email (str):
            id (UUID):
            language (str):
            line (int):
            name (str):
            phone (None | str):
            role (str):
            admin (bool | Unset):  Default: False.
     """

    active: bool
    chat_id: None | str
    email: str
    id: UUID
    language: str
    line: int
    name: str
    phone: None | str
    role: str
    admin: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        chat_id: None | str
        chat_id = self.chat_id

        email = self.email

        id = str(self.id)

        language = self.language

        line = self.line

        name = self.name

        phone: None | str
        phone = self.phone

        role = self.role

        admin = self.admin


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "chat_id": chat_id,
            "email": email,
            "id": id,
            "language": language,
            "line": line,
            "name": name,
            "phone": phone,
            "role": role,
        })
        if admin is not UNSET:
            field_dict["admin"] = admin

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        def _parse_chat_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        chat_id = _parse_chat_id(d.pop("chat_id"))


        email = d.pop("email")

        id = UUID(d.pop("id"))




        language = d.pop("language")

        line = d.pop("line")

        name = d.pop("name")

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))


        role = d.pop("role")

        admin = d.pop("admin", UNSET)

        staff_read = cls(
            active=active,
            chat_id=chat_id,
            email=email,
            id=id,
            language=language,
            line=line,
            name=name,
            phone=phone,
            role=role,
            admin=admin,
        )


        staff_read.additional_properties = d
        return staff_read

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
