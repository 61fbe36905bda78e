from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.mail_detail_source import MailDetailSource
from ..models.mail_detail_status import MailDetailStatus
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.mail_summary import MailSummary





T = TypeVar("T", bound="MailDetail")



@_attrs_define
class MailDetail:
    """ A record with the parsed summary of its message.

        Attributes:
            attempts (int):
            comment_id (None | UUID):
            envelope_from (None | str):
            from_address (None | str):
            id (UUID):
            message_id (str):
            next_attempt_at (datetime.datetime | None):
            parsed (MailSummary): What the parser reads in the message (the original stays at ``raw_url``).
            processed_at (datetime.datetime | None):
            raw_url (str):
            reason (None | str):
            received_at (datetime.datetime):
            recipients (list[str]):
            size (int):
            source (MailDetailSource):
            status (MailDetailStatus):
            subject (None | str):
            ticket_id (None | UUID):
     """

    attempts: int
    comment_id: None | UUID
    envelope_from: None | str
    from_address: None | str
    id: UUID
    message_id: str
    next_attempt_at: datetime.datetime | None
    parsed: MailSummary
    processed_at: datetime.datetime | None
    raw_url: str
    reason: None | str
    received_at: datetime.datetime
    recipients: list[str]
    size: int
    source: MailDetailSource
    status: MailDetailStatus
    subject: None | str
    ticket_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.mail_summary import MailSummary # noqa: PLC0415
        attempts = self.attempts

        comment_id: None | str
        if isinstance(self.comment_id, UUID):
            comment_id = str(self.comment_id)
        else:
            comment_id = self.comment_id

        envelope_from: None | str
        envelope_from = self.envelope_from

        from_address: None | str
        from_address = self.from_address

        id = str(self.id)

        message_id = self.message_id

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        parsed = self.parsed.to_dict()

        processed_at: None | str
        if isinstance(self.processed_at, datetime.datetime):
            processed_at = self.processed_at.isoformat()
        else:
            processed_at = self.processed_at

        raw_url = self.raw_url

        reason: None | str
        reason = self.reason

        received_at = self.received_at.isoformat()

        recipients = self.recipients



        size = self.size

        source = self.source.value

        status = self.status.value

        subject: None | str
        subject = self.subject

        ticket_id: None | str
        if isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "comment_id": comment_id,
            "envelope_from": envelope_from,
            "from_address": from_address,
            "id": id,
            "message_id": message_id,
            "next_attempt_at": next_attempt_at,
            "parsed": parsed,
            "processed_at": processed_at,
            "raw_url": raw_url,
            "reason": reason,
            "received_at": received_at,
            "recipients": recipients,
            "size": size,
            "source": source,
            "status": status,
            "subject": subject,
            "ticket_id": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mail_summary import MailSummary # noqa: PLC0415
        d = dict(src_dict)
        attempts = d.pop("attempts")

        def _parse_comment_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                comment_id_type_0 = UUID(data)



                return comment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        comment_id = _parse_comment_id(d.pop("comment_id"))


        def _parse_envelope_from(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        envelope_from = _parse_envelope_from(d.pop("envelope_from"))


        def _parse_from_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_address = _parse_from_address(d.pop("from_address"))


        id = UUID(d.pop("id"))




        message_id = d.pop("message_id")

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))


        parsed = MailSummary.from_dict(d.pop("parsed"))




        def _parse_processed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processed_at_type_0 = datetime.datetime.fromisoformat(data)



                return processed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        processed_at = _parse_processed_at(d.pop("processed_at"))


        raw_url = d.pop("raw_url")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))




        recipients = cast(list[str], d.pop("recipients"))


        size = d.pop("size")

        source = MailDetailSource(d.pop("source"))




        status = MailDetailStatus(d.pop("status"))




        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))


        def _parse_ticket_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_id_type_0 = UUID(data)



                return ticket_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        ticket_id = _parse_ticket_id(d.pop("ticket_id"))


        mail_detail = cls(
            attempts=attempts,
            comment_id=comment_id,
            envelope_from=envelope_from,
            from_address=from_address,
            id=id,
            message_id=message_id,
            next_attempt_at=next_attempt_at,
            parsed=parsed,
            processed_at=processed_at,
            raw_url=raw_url,
            reason=reason,
            received_at=received_at,
            recipients=recipients,
            size=size,
            source=source,
            status=status,
            subject=subject,
            ticket_id=ticket_id,
        )


        mail_detail.additional_properties = d
        return mail_detail

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
