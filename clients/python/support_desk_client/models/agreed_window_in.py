from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="AgreedWindowIn")



@_attrs_define
class AgreedWindowIn:
    """ Weekdays (0 = Monday) and a local time range; 22:00-02:00 runs past midnight.

        Attributes:
            ends (str):
            starts (str):
            weekdays (list[int]):
     """

    ends: str
    starts: str
    weekdays: list[int]





    def to_dict(self) -> dict[str, Any]:
        ends = self.ends

        starts = self.starts

        weekdays = self.weekdays




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "ends": ends,
            "starts": starts,
            "weekdays": weekdays,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ends = d.pop("ends")

        starts = d.pop("starts")

        weekdays = cast(list[int], d.pop("weekdays"))


        agreed_window_in = cls(
            ends=ends,
            starts=starts,
            weekdays=weekdays,
        )

        return agreed_window_in

