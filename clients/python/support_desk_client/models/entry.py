from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.entry_on_duty import EntryOnDuty
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.rule import Rule





T = TypeVar("T", bound="Entry")



@_attrs_define
class Entry:
    """ The rules of some tiers and severities.

        Attributes:
            assign_on_duty (bool | Unset):  Default: False.
            on_duty (EntryOnDuty | Unset):  Default: EntryOnDuty.NEVER.
            rules (list[Rule] | Unset):
            severities (list[str] | Unset):
            tiers (list[str] | Unset):
     """

    assign_on_duty: bool | Unset = False
    on_duty: EntryOnDuty | Unset = EntryOnDuty.NEVER
    rules: list[Rule] | Unset = UNSET
    severities: list[str] | Unset = UNSET
    tiers: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.rule import Rule # noqa: PLC0415
        assign_on_duty = self.assign_on_duty

        on_duty: str | Unset = UNSET
        if not isinstance(self.on_duty, Unset):
            on_duty = self.on_duty.value


        rules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = []
            for rules_item_data in self.rules:
                rules_item = rules_item_data.to_dict()
                rules.append(rules_item)



        severities: list[str] | Unset = UNSET
        if not isinstance(self.severities, Unset):
            severities = self.severities



        tiers: list[str] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = self.tiers




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if assign_on_duty is not UNSET:
            field_dict["assign_on_duty"] = assign_on_duty
        if on_duty is not UNSET:
            field_dict["on_duty"] = on_duty
        if rules is not UNSET:
            field_dict["rules"] = rules
        if severities is not UNSET:
            field_dict["severities"] = severities
        if tiers is not UNSET:
            field_dict["tiers"] = tiers

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule import Rule # noqa: PLC0415
        d = dict(src_dict)
        assign_on_duty = d.pop("assign_on_duty", UNSET)

        _on_duty = d.pop("on_duty", UNSET)
        on_duty: EntryOnDuty | Unset
        if isinstance(_on_duty,  Unset):
            on_duty = UNSET
        else:
            on_duty = EntryOnDuty(_on_duty)




        _rules = d.pop("rules", UNSET)
        rules: list[Rule] | Unset = UNSET
        if _rules is not UNSET:
            rules = []
            for rules_item_data in _rules:
                rules_item = Rule.from_dict(rules_item_data)



                rules.append(rules_item)


        severities = cast(list[str], d.pop("severities", UNSET))


        tiers = cast(list[str], d.pop("tiers", UNSET))


        entry = cls(
            assign_on_duty=assign_on_duty,
            on_duty=on_duty,
            rules=rules,
            severities=severities,
            tiers=tiers,
        )

        return entry

