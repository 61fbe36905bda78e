from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.staff_create_language import StaffCreateLanguage
from ..models.staff_create_line import StaffCreateLine
from ..models.staff_create_role import StaffCreateRole
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="StaffCreate")



@_attrs_define
class StaffCreate:
    """ 
        Attributes:
            email (str):
            line (StaffCreateLine):
            name (str):
            active (bool | Unset):  Default: True.
            admin (bool | Unset): Signs in to the desk as an admin; set by admins only Default: False.
            chat_id (None | str | Unset):
            language (StaffCreateLanguage | Unset):  Default: StaffCreateLanguage.RU.
            phone (None | str | Unset):
            role (StaffCreateRole | Unset):  Default: StaffCreateRole.ENGINEER.
     """

    email: str
    line: StaffCreateLine
    name: str
    active: bool | Unset = True
    admin: bool | Unset = False
    chat_id: None | str | Unset = UNSET
    language: StaffCreateLanguage | Unset = StaffCreateLanguage.RU
    phone: None | str | Unset = UNSET
    role: StaffCreateRole | Unset = StaffCreateRole.ENGINEER





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        line = self.line.value

        name = self.name

        active = self.active

        admin = self.admin

        chat_id: None | str | Unset
        if isinstance(self.chat_id, Unset):
            chat_id = UNSET
        else:
            chat_id = self.chat_id

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value


        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "line": line,
            "name": name,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if admin is not UNSET:
            field_dict["admin"] = admin
        if chat_id is not UNSET:
            field_dict["chat_id"] = chat_id
        if language is not UNSET:
            field_dict["language"] = language
        if phone is not UNSET:
            field_dict["phone"] = phone
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        line = StaffCreateLine(d.pop("line"))




        name = d.pop("name")

        active = d.pop("active", UNSET)

        admin = d.pop("admin", UNSET)

        def _parse_chat_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chat_id = _parse_chat_id(d.pop("chat_id", UNSET))


        _language = d.pop("language", UNSET)
        language: StaffCreateLanguage | Unset
        if isinstance(_language,  Unset):
            language = UNSET
        else:
            language = StaffCreateLanguage(_language)




        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        _role = d.pop("role", UNSET)
        role: StaffCreateRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = StaffCreateRole(_role)




        staff_create = cls(
            email=email,
            line=line,
            name=name,
            active=active,
            admin=admin,
            chat_id=chat_id,
            language=language,
            phone=phone,
            role=role,
        )

        return staff_create

