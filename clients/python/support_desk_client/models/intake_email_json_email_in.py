from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.severity import Severity
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.attachment_in import AttachmentIn





T = TypeVar("T", bound="IntakeEmailJsonEmailIn")



@_attrs_define
class IntakeEmailJsonEmailIn:
    """ One inbound email, as an email bot parsed it.

        Attributes:
            from_ (str):
            message_id (str):
            attachments (list[AttachmentIn] | Unset):
            body (str | Unset):  Default: ''.
            in_reply_to (None | str | Unset):
            severity (Severity | Unset): How badly an incident hurts the customer, most urgent first.
            subject (str | Unset):  Default: ''.
            to (None | str | Unset):
     """

    from_: str
    message_id: str
    attachments: list[AttachmentIn] | Unset = UNSET
    body: str | Unset = ''
    in_reply_to: None | str | Unset = UNSET
    severity: Severity | Unset = UNSET
    subject: str | Unset = ''
    to: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.attachment_in import AttachmentIn # noqa: PLC0415
        from_ = self.from_

        message_id = self.message_id

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)



        body = self.body

        in_reply_to: None | str | Unset
        if isinstance(self.in_reply_to, Unset):
            in_reply_to = UNSET
        else:
            in_reply_to = self.in_reply_to

        severity: str | Unset = UNSET
        if not isinstance(self.severity, Unset):
            severity = self.severity.value


        subject = self.subject

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        else:
            to = self.to


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from": from_,
            "message_id": message_id,
        })
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if body is not UNSET:
            field_dict["body"] = body
        if in_reply_to is not UNSET:
            field_dict["in_reply_to"] = in_reply_to
        if severity is not UNSET:
            field_dict["severity"] = severity
        if subject is not UNSET:
            field_dict["subject"] = subject
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_in import AttachmentIn # noqa: PLC0415
        d = dict(src_dict)
        from_ = d.pop("from")

        message_id = d.pop("message_id")

        _attachments = d.pop("attachments", UNSET)
        attachments: list[AttachmentIn] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = AttachmentIn.from_dict(attachments_item_data)



                attachments.append(attachments_item)


        body = d.pop("body", UNSET)

        def _parse_in_reply_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        in_reply_to = _parse_in_reply_to(d.pop("in_reply_to", UNSET))


        _severity = d.pop("severity", UNSET)
        severity: Severity | Unset
        if isinstance(_severity,  Unset):
            severity = UNSET
        else:
            severity = Severity(_severity)




        subject = d.pop("subject", UNSET)

        def _parse_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to = _parse_to(d.pop("to", UNSET))


        intake_email_json_email_in = cls(
            from_=from_,
            message_id=message_id,
            attachments=attachments,
            body=body,
            in_reply_to=in_reply_to,
            severity=severity,
            subject=subject,
            to=to,
        )

        return intake_email_json_email_in

