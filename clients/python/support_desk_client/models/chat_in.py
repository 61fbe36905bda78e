from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.severity import Severity
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ChatIn")



@_attrs_define
class ChatIn:
    """ One inbound chat message, as a chat bot relays it.

        Attributes:
            chat_id (str):
            message_id (str):
            text (str):
            reply_to_message_id (None | str | Unset):
            severity (Severity | Unset): How badly an incident hurts the customer, most urgent first.
     """

    chat_id: str
    message_id: str
    text: str
    reply_to_message_id: None | str | Unset = UNSET
    severity: Severity | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        chat_id = self.chat_id

        message_id = self.message_id

        text = self.text

        reply_to_message_id: None | str | Unset
        if isinstance(self.reply_to_message_id, Unset):
            reply_to_message_id = UNSET
        else:
            reply_to_message_id = self.reply_to_message_id

        severity: str | Unset = UNSET
        if not isinstance(self.severity, Unset):
            severity = self.severity.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
        })
        if reply_to_message_id is not UNSET:
            field_dict["reply_to_message_id"] = reply_to_message_id
        if severity is not UNSET:
            field_dict["severity"] = severity

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chat_id = d.pop("chat_id")

        message_id = d.pop("message_id")

        text = d.pop("text")

        def _parse_reply_to_message_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reply_to_message_id = _parse_reply_to_message_id(d.pop("reply_to_message_id", UNSET))


        _severity = d.pop("severity", UNSET)
        severity: Severity | Unset
        if isinstance(_severity,  Unset):
            severity = UNSET
        else:
            severity = Severity(_severity)




        chat_in = cls(
            chat_id=chat_id,
            message_id=message_id,
            text=text,
            reply_to_message_id=reply_to_message_id,
            severity=severity,
        )

        return chat_in

