from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.staff_update_language_type_0 import StaffUpdateLanguageType0
from ..models.staff_update_line_type_0 import StaffUpdateLineType0
from ..models.staff_update_role_type_0 import StaffUpdateRoleType0
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="StaffUpdate")



@_attrs_define
class StaffUpdate:
    """ 
        Attributes:
            active (bool | None | Unset):
            admin (bool | None | Unset): Set by admins only
            chat_id (None | str | Unset):
            email (None | str | Unset):
            language (None | StaffUpdateLanguageType0 | Unset):
            line (None | StaffUpdateLineType0 | Unset):
            name (None | str | Unset):
            phone (None | str | Unset):
            role (None | StaffUpdateRoleType0 | Unset):
     """

    active: bool | None | Unset = UNSET
    admin: bool | None | Unset = UNSET
    chat_id: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    language: None | StaffUpdateLanguageType0 | Unset = UNSET
    line: None | StaffUpdateLineType0 | Unset = UNSET
    name: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    role: None | StaffUpdateRoleType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        admin: bool | None | Unset
        if isinstance(self.admin, Unset):
            admin = UNSET
        else:
            admin = self.admin

        chat_id: None | str | Unset
        if isinstance(self.chat_id, Unset):
            chat_id = UNSET
        else:
            chat_id = self.chat_id

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, StaffUpdateLanguageType0):
            language = self.language.value
        else:
            language = self.language

        line: int | None | Unset
        if isinstance(self.line, Unset):
            line = UNSET
        elif isinstance(self.line, StaffUpdateLineType0):
            line = self.line.value
        else:
            line = self.line

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, StaffUpdateRoleType0):
            role = self.role.value
        else:
            role = self.role


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if active is not UNSET:
            field_dict["active"] = active
        if admin is not UNSET:
            field_dict["admin"] = admin
        if chat_id is not UNSET:
            field_dict["chat_id"] = chat_id
        if email is not UNSET:
            field_dict["email"] = email
        if language is not UNSET:
            field_dict["language"] = language
        if line is not UNSET:
            field_dict["line"] = line
        if name is not UNSET:
            field_dict["name"] = name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))


        def _parse_admin(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        admin = _parse_admin(d.pop("admin", UNSET))


        def _parse_chat_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chat_id = _parse_chat_id(d.pop("chat_id", UNSET))


        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_language(data: object) -> None | StaffUpdateLanguageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = StaffUpdateLanguageType0(data)



                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StaffUpdateLanguageType0 | Unset, data)

        language = _parse_language(d.pop("language", UNSET))


        def _parse_line(data: object) -> None | StaffUpdateLineType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                line_type_0 = StaffUpdateLineType0(data)



                return line_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StaffUpdateLineType0 | Unset, data)

        line = _parse_line(d.pop("line", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        def _parse_role(data: object) -> None | StaffUpdateRoleType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = StaffUpdateRoleType0(data)



                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StaffUpdateRoleType0 | Unset, data)

        role = _parse_role(d.pop("role", UNSET))


        staff_update = cls(
            active=active,
            admin=admin,
            chat_id=chat_id,
            email=email,
            language=language,
            line=line,
            name=name,
            phone=phone,
            role=role,
        )

        return staff_update

