from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="HardwareFaultCreate")



@_attrs_define
class HardwareFaultCreate:
    """ 
        Attributes:
            reason (str):
            recommendations (None | str | Unset):
     """

    reason: str
    recommendations: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        recommendations: None | str | Unset
        if isinstance(self.recommendations, Unset):
            recommendations = UNSET
        else:
            recommendations = self.recommendations


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "reason": reason,
        })
        if recommendations is not UNSET:
            field_dict["recommendations"] = recommendations

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_recommendations(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recommendations = _parse_recommendations(d.pop("recommendations", UNSET))


        hardware_fault_create = cls(
            reason=reason,
            recommendations=recommendations,
        )

        return hardware_fault_create

