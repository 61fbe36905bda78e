from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SessionRead")



@_attrs_define
class SessionRead:
    """ 
        Attributes:
            csrf_token (str): Send as X-CSRF-Token with every change
            customer_id (None | UUID):
            expires_at (datetime.datetime):
            idle_expires_at (datetime.datetime):
            kind (str): contact or staff
            name (str):
            role (str):
     """

    csrf_token: str
    customer_id: None | UUID
    expires_at: datetime.datetime
    idle_expires_at: datetime.datetime
    kind: str
    name: str
    role: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        csrf_token = self.csrf_token

        customer_id: None | str
        if isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        expires_at = self.expires_at.isoformat()

        idle_expires_at = self.idle_expires_at.isoformat()

        kind = self.kind

        name = self.name

        role = self.role


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "csrf_token": csrf_token,
            "customer_id": customer_id,
            "expires_at": expires_at,
            "idle_expires_at": idle_expires_at,
            "kind": kind,
            "name": name,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        csrf_token = d.pop("csrf_token")

        def _parse_customer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_id_type_0 = UUID(data)



                return customer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))


        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        idle_expires_at = datetime.datetime.fromisoformat(d.pop("idle_expires_at"))




        kind = d.pop("kind")

        name = d.pop("name")

        role = d.pop("role")

        session_read = cls(
            csrf_token=csrf_token,
            customer_id=customer_id,
            expires_at=expires_at,
            idle_expires_at=idle_expires_at,
            kind=kind,
            name=name,
            role=role,
        )


        session_read.additional_properties = d
        return session_read

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
