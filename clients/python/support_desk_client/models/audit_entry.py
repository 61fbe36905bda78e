from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="AuditEntry")



@_attrs_define
class AuditEntry:
    """ One change on the record.

        Attributes:
            at (datetime.datetime):
            id (UUID):
            key_id (None | UUID):
            key_name (str):
            method (str):
            path (str):
            request_id (None | str):
            role (str):
            service (str):
            target_id (None | str):
     """

    at: datetime.datetime
    id: UUID
    key_id: None | UUID
    key_name: str
    method: str
    path: str
    request_id: None | str
    role: str
    service: str
    target_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        id = str(self.id)

        key_id: None | str
        if isinstance(self.key_id, UUID):
            key_id = str(self.key_id)
        else:
            key_id = self.key_id

        key_name = self.key_name

        method = self.method

        path = self.path

        request_id: None | str
        request_id = self.request_id

        role = self.role

        service = self.service

        target_id: None | str
        target_id = self.target_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "id": id,
            "key_id": key_id,
            "key_name": key_name,
            "method": method,
            "path": path,
            "request_id": request_id,
            "role": role,
            "service": service,
            "target_id": target_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        id = UUID(d.pop("id"))




        def _parse_key_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                key_id_type_0 = UUID(data)



                return key_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        key_id = _parse_key_id(d.pop("key_id"))


        key_name = d.pop("key_name")

        method = d.pop("method")

        path = d.pop("path")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))


        role = d.pop("role")

        service = d.pop("service")

        def _parse_target_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_id = _parse_target_id(d.pop("target_id"))


        audit_entry = cls(
            at=at,
            id=id,
            key_id=key_id,
            key_name=key_name,
            method=method,
            path=path,
            request_id=request_id,
            role=role,
            service=service,
            target_id=target_id,
        )


        audit_entry.additional_properties = d
        return audit_entry

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
