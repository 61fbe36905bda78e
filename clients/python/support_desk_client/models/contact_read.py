from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.contact_read_language import ContactReadLanguage
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="ContactRead")



@_attrs_define
class ContactRead:
    """ 
        Attributes:
            active (bool):
            chat_id (None | str):
            customer_id (UUID):
            email (str):
            id (UUID):
            name (str):
            phone (None | str):
            language (ContactReadLanguage | Unset):  Default: ContactReadLanguage.RU.
     """

    active: bool
    chat_id: None | str
    customer_id: UUID
    email: str
    id: UUID
    name: str
    phone: None | str
    language: ContactReadLanguage | Unset = ContactReadLanguage.RU
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        chat_id: None | str
        chat_id = self.chat_id

        customer_id = str(self.customer_id)

        email = self.email

        id = str(self.id)

        name = self.name

        phone: None | str
        phone = self.phone

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "chat_id": chat_id,
            "customer_id": customer_id,
            "email": email,
            "id": id,
            "name": name,
            "phone": phone,
        })
        if language is not UNSET:
            field_dict["language"] = language

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


        customer_id = UUID(d.pop("customer_id"))




        email = d.pop("email")

        id = UUID(d.pop("id"))




        name = d.pop("name")

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))


        _language = d.pop("language", UNSET)
        language: ContactReadLanguage | Unset
        if isinstance(_language,  Unset):
            language = UNSET
        else:
            language = ContactReadLanguage(_language)




        contact_read = cls(
            active=active,
            chat_id=chat_id,
            customer_id=customer_id,
            email=email,
            id=id,
            name=name,
            phone=phone,
            language=language,
        )


        contact_read.additional_properties = d
        return contact_read

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
