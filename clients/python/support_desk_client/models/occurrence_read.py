from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.occurrence_outcome import OccurrenceOutcome
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="OccurrenceRead")



@_attrs_define
class OccurrenceRead:
    """ One coming occurrence: where the rule put it, where it happens, and why.

        Attributes:
            key (str):
            occurrence_id (UUID):
            opens_at (datetime.datetime):
            original_at (datetime.datetime):
            outcome (OccurrenceOutcome): What the platform does with one occurrence of the rule.
            reason (None | str):
            scheduled_at (datetime.datetime | None):
            announced (bool | Unset):  Default: False.
            decided_by (None | str | Unset):
     """

    key: str
    occurrence_id: UUID
    opens_at: datetime.datetime
    original_at: datetime.datetime
    outcome: OccurrenceOutcome
    reason: None | str
    scheduled_at: datetime.datetime | None
    announced: bool | Unset = False
    decided_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        key = self.key

        occurrence_id = str(self.occurrence_id)

        opens_at = self.opens_at.isoformat()

        original_at = self.original_at.isoformat()

        outcome = self.outcome.value

        reason: None | str
        reason = self.reason

        scheduled_at: None | str
        if isinstance(self.scheduled_at, datetime.datetime):
            scheduled_at = self.scheduled_at.isoformat()
        else:
            scheduled_at = self.scheduled_at

        announced = self.announced

        decided_by: None | str | Unset
        if isinstance(self.decided_by, Unset):
            decided_by = UNSET
        else:
            decided_by = self.decided_by


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "key": key,
            "occurrence_id": occurrence_id,
            "opens_at": opens_at,
            "original_at": original_at,
            "outcome": outcome,
            "reason": reason,
            "scheduled_at": scheduled_at,
        })
        if announced is not UNSET:
            field_dict["announced"] = announced
        if decided_by is not UNSET:
            field_dict["decided_by"] = decided_by

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        occurrence_id = UUID(d.pop("occurrence_id"))




        opens_at = datetime.datetime.fromisoformat(d.pop("opens_at"))




        original_at = datetime.datetime.fromisoformat(d.pop("original_at"))




        outcome = OccurrenceOutcome(d.pop("outcome"))




        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        def _parse_scheduled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_at_type_0 = datetime.datetime.fromisoformat(data)



                return scheduled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        scheduled_at = _parse_scheduled_at(d.pop("scheduled_at"))


        announced = d.pop("announced", UNSET)

        def _parse_decided_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decided_by = _parse_decided_by(d.pop("decided_by", UNSET))


        occurrence_read = cls(
            key=key,
            occurrence_id=occurrence_id,
            opens_at=opens_at,
            original_at=original_at,
            outcome=outcome,
            reason=reason,
            scheduled_at=scheduled_at,
            announced=announced,
            decided_by=decided_by,
        )


        occurrence_read.additional_properties = d
        return occurrence_read

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
