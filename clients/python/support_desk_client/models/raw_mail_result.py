from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.raw_mail_result_outcome import RawMailResultOutcome
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="RawMailResult")



@_attrs_define
class RawMailResult:
    """ A raw message the API took that made no ticket (202): why, and where its record is.

        Attributes:
            duplicate (bool):
            mail_id (UUID):
            outcome (RawMailResultOutcome):
            reason (None | str):
            record_url (str):
     """

    duplicate: bool
    mail_id: UUID
    outcome: RawMailResultOutcome
    reason: None | str
    record_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        duplicate = self.duplicate

        mail_id = str(self.mail_id)

        outcome = self.outcome.value

        reason: None | str
        reason = self.reason

        record_url = self.record_url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "duplicate": duplicate,
            "mail_id": mail_id,
            "outcome": outcome,
            "reason": reason,
            "record_url": record_url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        duplicate = d.pop("duplicate")

        mail_id = UUID(d.pop("mail_id"))




        outcome = RawMailResultOutcome(d.pop("outcome"))




        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        record_url = d.pop("record_url")

        raw_mail_result = cls(
            duplicate=duplicate,
            mail_id=mail_id,
            outcome=outcome,
            reason=reason,
            record_url=record_url,
        )


        raw_mail_result.additional_properties = d
        return raw_mail_result

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
