from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.escalation_read_recipients_item import EscalationReadRecipientsItem





T = TypeVar("T", bound="EscalationRead")



@_attrs_define
class EscalationRead:
    """ 
        Attributes:
            acknowledged_at (datetime.datetime | None):
            acknowledged_by (None | str):
            assign_to (None | UUID):
            customer_id (None | UUID):
            from_line (int):
            id (UUID):
            out_of_hours (bool):
            percent (int | None):
            policy_version (None | str):
            raised_at (datetime.datetime):
            reason (None | str):
            recipients (list[EscalationReadRecipientsItem]):
            ticket_id (UUID):
            timer (None | str):
            to_line (int | None):
            trigger (str):
     """

    acknowledged_at: datetime.datetime | None
    acknowledged_by: None | str
    assign_to: None | UUID
    customer_id: None | UUID
    from_line: int
    id: UUID
    out_of_hours: bool
    percent: int | None
    policy_version: None | str
    raised_at: datetime.datetime
    reason: None | str
    recipients: list[EscalationReadRecipientsItem]
    ticket_id: UUID
    timer: None | str
    to_line: int | None
    trigger: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.escalation_read_recipients_item import EscalationReadRecipientsItem # noqa: PLC0415
        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str
        acknowledged_by = self.acknowledged_by

        assign_to: None | str
        if isinstance(self.assign_to, UUID):
            assign_to = str(self.assign_to)
        else:
            assign_to = self.assign_to

        customer_id: None | str
        if isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        from_line = self.from_line

        id = str(self.id)

        out_of_hours = self.out_of_hours

        percent: int | None
        percent = self.percent

        policy_version: None | str
        policy_version = self.policy_version

        raised_at = self.raised_at.isoformat()

        reason: None | str
        reason = self.reason

        recipients = []
        for recipients_item_data in self.recipients:
            recipients_item = recipients_item_data.to_dict()
            recipients.append(recipients_item)



        ticket_id = str(self.ticket_id)

        timer: None | str
        timer = self.timer

        to_line: int | None
        to_line = self.to_line

        trigger = self.trigger


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "acknowledged_at": acknowledged_at,
            "acknowledged_by": acknowledged_by,
            "assign_to": assign_to,
            "customer_id": customer_id,
            "from_line": from_line,
            "id": id,
            "out_of_hours": out_of_hours,
            "percent": percent,
            "policy_version": policy_version,
            "raised_at": raised_at,
            "reason": reason,
            "recipients": recipients,
            "ticket_id": ticket_id,
            "timer": timer,
            "to_line": to_line,
            "trigger": trigger,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.escalation_read_recipients_item import EscalationReadRecipientsItem # noqa: PLC0415
        d = dict(src_dict)
        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)



                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))


        def _parse_acknowledged_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by"))


        def _parse_assign_to(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assign_to_type_0 = UUID(data)



                return assign_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        assign_to = _parse_assign_to(d.pop("assign_to"))


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


        from_line = d.pop("from_line")

        id = UUID(d.pop("id"))




        out_of_hours = d.pop("out_of_hours")

        def _parse_percent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        percent = _parse_percent(d.pop("percent"))


        def _parse_policy_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        policy_version = _parse_policy_version(d.pop("policy_version"))


        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))




        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        recipients = []
        _recipients = d.pop("recipients")
        for recipients_item_data in (_recipients):
            recipients_item = EscalationReadRecipientsItem.from_dict(recipients_item_data)



            recipients.append(recipients_item)


        ticket_id = UUID(d.pop("ticket_id"))




        def _parse_timer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        timer = _parse_timer(d.pop("timer"))


        def _parse_to_line(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        to_line = _parse_to_line(d.pop("to_line"))


        trigger = d.pop("trigger")

        escalation_read = cls(
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            assign_to=assign_to,
            customer_id=customer_id,
            from_line=from_line,
            id=id,
            out_of_hours=out_of_hours,
            percent=percent,
            policy_version=policy_version,
            raised_at=raised_at,
            reason=reason,
            recipients=recipients,
            ticket_id=ticket_id,
            timer=timer,
            to_line=to_line,
            trigger=trigger,
        )


        escalation_read.additional_properties = d
        return escalation_read

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
