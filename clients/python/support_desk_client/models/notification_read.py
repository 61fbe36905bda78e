from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.notification_read_channel_type_0 import NotificationReadChannelType0
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.attempt_read import AttemptRead





T = TypeVar("T", bound="NotificationRead")



@_attrs_define
class NotificationRead:
    """ 
        Attributes:
            attempts (int):
            channel (NotificationReadChannelType0 | str):
            created_at (datetime.datetime):
            customer_id (None | UUID):
            id (UUID):
            language (str):
            last_error (None | str):
            message_id (None | str):
            next_attempt_at (datetime.datetime | None):
            recipient (str):
            sent_at (datetime.datetime | None):
            source_event_id (None | UUID):
            source_event_type (None | str):
            status (str):
            subscription_id (None | UUID):
            template (str):
            ticket_id (None | UUID):
            attempt_log (list[AttemptRead] | Unset):
     """

    attempts: int
    channel: NotificationReadChannelType0 | str
    created_at: datetime.datetime
    customer_id: None | UUID
    id: UUID
    language: str
    last_error: None | str
    message_id: None | str
    next_attempt_at: datetime.datetime | None
    recipient: str
    sent_at: datetime.datetime | None
    source_event_id: None | UUID
    source_event_type: None | str
    status: str
    subscription_id: None | UUID
    template: str
    ticket_id: None | UUID
    attempt_log: list[AttemptRead] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_read import AttemptRead # noqa: PLC0415
        attempts = self.attempts

        channel: str
        if isinstance(self.channel, NotificationReadChannelType0):
            channel = self.channel.value
        else:
            channel = self.channel

        created_at = self.created_at.isoformat()

        customer_id: None | str
        if isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        id = str(self.id)

        language = self.language

        last_error: None | str
        last_error = self.last_error

        message_id: None | str
        message_id = self.message_id

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        recipient = self.recipient

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        source_event_id: None | str
        if isinstance(self.source_event_id, UUID):
            source_event_id = str(self.source_event_id)
        else:
            source_event_id = self.source_event_id

        source_event_type: None | str
        source_event_type = self.source_event_type

        status = self.status

        subscription_id: None | str
        if isinstance(self.subscription_id, UUID):
            subscription_id = str(self.subscription_id)
        else:
            subscription_id = self.subscription_id

        template = self.template

        ticket_id: None | str
        if isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id

        attempt_log: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attempt_log, Unset):
            attempt_log = []
            for attempt_log_item_data in self.attempt_log:
                attempt_log_item = attempt_log_item_data.to_dict()
                attempt_log.append(attempt_log_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "channel": channel,
            "created_at": created_at,
            "customer_id": customer_id,
            "id": id,
            "language": language,
            "last_error": last_error,
            "message_id": message_id,
            "next_attempt_at": next_attempt_at,
            "recipient": recipient,
            "sent_at": sent_at,
            "source_event_id": source_event_id,
            "source_event_type": source_event_type,
            "status": status,
            "subscription_id": subscription_id,
            "template": template,
            "ticket_id": ticket_id,
        })
        if attempt_log is not UNSET:
            field_dict["attempt_log"] = attempt_log

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_read import AttemptRead # noqa: PLC0415
        d = dict(src_dict)
        attempts = d.pop("attempts")

        def _parse_channel(data: object) -> NotificationReadChannelType0 | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = NotificationReadChannelType0(data)



                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NotificationReadChannelType0 | str, data)

        channel = _parse_channel(d.pop("channel"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




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


        id = UUID(d.pop("id"))




        language = d.pop("language")

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))


        def _parse_message_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message_id = _parse_message_id(d.pop("message_id"))


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


        recipient = d.pop("recipient")

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)



                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))


        def _parse_source_event_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_event_id_type_0 = UUID(data)



                return source_event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        source_event_id = _parse_source_event_id(d.pop("source_event_id"))


        def _parse_source_event_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source_event_type = _parse_source_event_type(d.pop("source_event_type"))


        status = d.pop("status")

        def _parse_subscription_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subscription_id_type_0 = UUID(data)



                return subscription_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        subscription_id = _parse_subscription_id(d.pop("subscription_id"))


        template = d.pop("template")

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


        _attempt_log = d.pop("attempt_log", UNSET)
        attempt_log: list[AttemptRead] | Unset = UNSET
        if _attempt_log is not UNSET:
            attempt_log = []
            for attempt_log_item_data in _attempt_log:
                attempt_log_item = AttemptRead.from_dict(attempt_log_item_data)



                attempt_log.append(attempt_log_item)


        notification_read = cls(
            attempts=attempts,
            channel=channel,
            created_at=created_at,
            customer_id=customer_id,
            id=id,
            language=language,
            last_error=last_error,
            message_id=message_id,
            next_attempt_at=next_attempt_at,
            recipient=recipient,
            sent_at=sent_at,
            source_event_id=source_event_id,
            source_event_type=source_event_type,
            status=status,
            subscription_id=subscription_id,
            template=template,
            ticket_id=ticket_id,
            attempt_log=attempt_log,
        )


        notification_read.additional_properties = d
        return notification_read

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
