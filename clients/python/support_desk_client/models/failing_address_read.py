from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="FailingAddressRead")



@_attrs_define
class FailingAddressRead:
    """ An address notification does not mail: its mail bounced (``mail.bounced``).

        Attributes:
            address (str):
            bounced_at (datetime.datetime):
            diagnostic (None | str): The receiving server's words, as reported.
            inbound_id (None | str): Intake's record of the bounce report.
            original_message_id (None | str): Message-ID of the desk's message that bounced, when the report quoted it.
            status (None | str): The bounce's DSN status, e.g. 5.1.1.
     """

    address: str
    bounced_at: datetime.datetime
    diagnostic: None | str
    inbound_id: None | str
    original_message_id: None | str
    status: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        address = self.address

        bounced_at = self.bounced_at.isoformat()

        diagnostic: None | str
        diagnostic = self.diagnostic

        inbound_id: None | str
        inbound_id = self.inbound_id

        original_message_id: None | str
        original_message_id = self.original_message_id

        status: None | str
        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "address": address,
            "bounced_at": bounced_at,
            "diagnostic": diagnostic,
            "inbound_id": inbound_id,
            "original_message_id": original_message_id,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        bounced_at = datetime.datetime.fromisoformat(d.pop("bounced_at"))




        def _parse_diagnostic(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        diagnostic = _parse_diagnostic(d.pop("diagnostic"))


        def _parse_inbound_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        inbound_id = _parse_inbound_id(d.pop("inbound_id"))


        def _parse_original_message_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        original_message_id = _parse_original_message_id(d.pop("original_message_id"))


        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))


        failing_address_read = cls(
            address=address,
            bounced_at=bounced_at,
            diagnostic=diagnostic,
            inbound_id=inbound_id,
            original_message_id=original_message_id,
            status=status,
        )


        failing_address_read.additional_properties = d
        return failing_address_read

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
