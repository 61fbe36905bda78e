from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.mail_attachment_summary import MailAttachmentSummary





T = TypeVar("T", bound="MailSummary")



@_attrs_define
class MailSummary:
    """ What the parser reads in the message (the original stays at ``raw_url``).

        Attributes:
            attachments (list[MailAttachmentSummary]):
            cc (list[str]):
            date (datetime.datetime | None):
            from_address (str):
            from_name (str):
            has_html (bool):
            in_reply_to (None | str):
            language (str):
            references (list[str]):
            reply_text (str):
            subject (str):
            text (str):
            to (list[str]):
     """

    attachments: list[MailAttachmentSummary]
    cc: list[str]
    date: datetime.datetime | None
    from_address: str
    from_name: str
    has_html: bool
    in_reply_to: None | str
    language: str
    references: list[str]
    reply_text: str
    subject: str
    text: str
    to: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.mail_attachment_summary import MailAttachmentSummary # noqa: PLC0415
        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)



        cc = self.cc



        date: None | str
        if isinstance(self.date, datetime.datetime):
            date = self.date.isoformat()
        else:
            date = self.date

        from_address = self.from_address

        from_name = self.from_name

        has_html = self.has_html

        in_reply_to: None | str
        in_reply_to = self.in_reply_to

        language = self.language

        references = self.references



        reply_text = self.reply_text

        subject = self.subject

        text = self.text

        to = self.to




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attachments": attachments,
            "cc": cc,
            "date": date,
            "from_address": from_address,
            "from_name": from_name,
            "has_html": has_html,
            "in_reply_to": in_reply_to,
            "language": language,
            "references": references,
            "reply_text": reply_text,
            "subject": subject,
            "text": text,
            "to": to,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mail_attachment_summary import MailAttachmentSummary # noqa: PLC0415
        d = dict(src_dict)
        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in (_attachments):
            attachments_item = MailAttachmentSummary.from_dict(attachments_item_data)



            attachments.append(attachments_item)


        cc = cast(list[str], d.pop("cc"))


        def _parse_date(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.datetime.fromisoformat(data)



                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        date = _parse_date(d.pop("date"))


        from_address = d.pop("from_address")

        from_name = d.pop("from_name")

        has_html = d.pop("has_html")

        def _parse_in_reply_to(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        in_reply_to = _parse_in_reply_to(d.pop("in_reply_to"))


        language = d.pop("language")

        references = cast(list[str], d.pop("references"))


        reply_text = d.pop("reply_text")

        subject = d.pop("subject")

        text = d.pop("text")

        to = cast(list[str], d.pop("to"))


        mail_summary = cls(
            attachments=attachments,
            cc=cc,
            date=date,
            from_address=from_address,
            from_name=from_name,
            has_html=has_html,
            in_reply_to=in_reply_to,
            language=language,
            references=references,
            reply_text=reply_text,
            subject=subject,
            text=text,
            to=to,
        )


        mail_summary.additional_properties = d
        return mail_summary

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
