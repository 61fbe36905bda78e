from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.entry import Entry
  from ..models.escalation_policy_ola_hours import EscalationPolicyOlaHours





T = TypeVar("T", bound="EscalationPolicy")



@_attrs_define
class EscalationPolicy:
    """ A whole policy: versioned, first matching entry wins, plus the lines' own targets.

        Attributes:
            entries (list[Entry]):
            ola_hours (EscalationPolicyOlaHours | Unset):
            ola_warning_percent (int | Unset):  Default: 75.
            version (str | Unset):  Default: 'escalation-default-1'.
     """

    entries: list[Entry]
    ola_hours: EscalationPolicyOlaHours | Unset = UNSET
    ola_warning_percent: int | Unset = 75
    version: str | Unset = 'escalation-default-1'





    def to_dict(self) -> dict[str, Any]:
        from ..models.entry import Entry # noqa: PLC0415
        from ..models.escalation_policy_ola_hours import EscalationPolicyOlaHours # noqa: PLC0415
        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)



        ola_hours: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ola_hours, Unset):
            ola_hours = self.ola_hours.to_dict()

        ola_warning_percent = self.ola_warning_percent

        version = self.version


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "entries": entries,
        })
        if ola_hours is not UNSET:
            field_dict["ola_hours"] = ola_hours
        if ola_warning_percent is not UNSET:
            field_dict["ola_warning_percent"] = ola_warning_percent
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entry import Entry # noqa: PLC0415
        from ..models.escalation_policy_ola_hours import EscalationPolicyOlaHours # noqa: PLC0415
        d = dict(src_dict)
        entries = []
        _entries = d.pop("entries")
        for entries_item_data in (_entries):
            entries_item = Entry.from_dict(entries_item_data)



            entries.append(entries_item)


        _ola_hours = d.pop("ola_hours", UNSET)
        ola_hours: EscalationPolicyOlaHours | Unset
        if isinstance(_ola_hours,  Unset):
            ola_hours = UNSET
        else:
            ola_hours = EscalationPolicyOlaHours.from_dict(_ola_hours)




        ola_warning_percent = d.pop("ola_warning_percent", UNSET)

        version = d.pop("version", UNSET)

        escalation_policy = cls(
            entries=entries,
            ola_hours=ola_hours,
            ola_warning_percent=ola_warning_percent,
            version=version,
        )

        return escalation_policy

