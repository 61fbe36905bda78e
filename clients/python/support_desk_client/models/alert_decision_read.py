from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="AlertDecisionRead")



@_attrs_define
class AlertDecisionRead:
    """ 
        Attributes:
            action (str):
            fingerprint (str):
            reason (None | str):
            registration_number (None | str):
            severity (None | str):
            ticket_id (None | UUID):
     """

    action: str
    fingerprint: str
    reason: None | str
    registration_number: None | str
    severity: None | str
    ticket_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        action = self.action

        fingerprint = self.fingerprint

        reason: None | str
        reason = self.reason

        registration_number: None | str
        registration_number = self.registration_number

        severity: None | str
        severity = self.severity

        ticket_id: None | str
        if isinstance(self.ticket_id, UUID):
            ticket_id = str(self.ticket_id)
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "fingerprint": fingerprint,
            "reason": reason,
            "registration_number": registration_number,
            "severity": severity,
            "ticket_id": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        fingerprint = d.pop("fingerprint")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        def _parse_registration_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        registration_number = _parse_registration_number(d.pop("registration_number"))


        def _parse_severity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        severity = _parse_severity(d.pop("severity"))


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


        alert_decision_read = cls(
            action=action,
            fingerprint=fingerprint,
            reason=reason,
            registration_number=registration_number,
            severity=severity,
            ticket_id=ticket_id,
        )


        alert_decision_read.additional_properties = d
        return alert_decision_read

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
