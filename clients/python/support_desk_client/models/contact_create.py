from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.contact_create_language import ContactCreateLanguage
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ContactCreate")



@_attrs_define
class ContactCreate:
    """ 
        Attributes:
            email (str):
            name (str):
            chat_id (None | str | Unset):
            language (ContactCreateLanguage | Unset):  Default: ContactCreateLanguage.RU.
            phone (None | str | Unset):
     """

    email: str
    name: str
    chat_id: None | str | Unset = UNSET
    language: ContactCreateLanguage | Unset = ContactCreateLanguage.RU
    phone: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

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


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "name": name,
        })
        if chat_id is not UNSET:
            field_dict["chat_id"] = chat_id
        if language is not UNSET:
            field_dict["language"] = language
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        def _parse_chat_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chat_id = _parse_chat_id(d.pop("chat_id", UNSET))


        _language = d.pop("language", UNSET)
        language: ContactCreateLanguage | Unset
        if isinstance(_language,  Unset):
            language = UNSET
        else:
            language = ContactCreateLanguage(_language)




        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        contact_create = cls(
            email=email,
            name=name,
            chat_id=chat_id,
            language=language,
            phone=phone,
        )

        return contact_create

