from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.person_language_type_0 import PersonLanguageType0
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="Person")



@_attrs_define
class Person:
    """ A contract's dedicated person: a staff reference, or a name with an address.

        Attributes:
            email (None | str | Unset):
            language (None | PersonLanguageType0 | Unset):
            name (None | str | Unset):
            staff_id (None | Unset | UUID):
     """

    email: None | str | Unset = UNSET
    language: None | PersonLanguageType0 | Unset = UNSET
    name: None | str | Unset = UNSET
    staff_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, PersonLanguageType0):
            language = self.language.value
        else:
            language = self.language

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        staff_id: None | str | Unset
        if isinstance(self.staff_id, Unset):
            staff_id = UNSET
        elif isinstance(self.staff_id, UUID):
            staff_id = str(self.staff_id)
        else:
            staff_id = self.staff_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if email is not UNSET:
            field_dict["email"] = email
        if language is not UNSET:
            field_dict["language"] = language
        if name is not UNSET:
            field_dict["name"] = name
        if staff_id is not UNSET:
            field_dict["staff_id"] = staff_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_language(data: object) -> None | PersonLanguageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_0 = PersonLanguageType0(data)



                return language_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PersonLanguageType0 | Unset, data)

        language = _parse_language(d.pop("language", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_staff_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                staff_id_type_0 = UUID(data)



                return staff_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        staff_id = _parse_staff_id(d.pop("staff_id", UNSET))


        person = cls(
            email=email,
            language=language,
            name=name,
            staff_id=staff_id,
        )

        return person

