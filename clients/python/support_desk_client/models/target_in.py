from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="TargetIn")



@_attrs_define
class TargetIn:
    """ 
        Attributes:
            resolution (None | str):
            response (None | str):
     """

    resolution: None | str
    response: None | str





    def to_dict(self) -> dict[str, Any]:
        resolution: None | str
        resolution = self.resolution

        response: None | str
        response = self.response


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "resolution": resolution,
            "response": response,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_resolution(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution = _parse_resolution(d.pop("resolution"))


        def _parse_response(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response = _parse_response(d.pop("response"))


        target_in = cls(
            resolution=resolution,
            response=response,
        )

        return target_in

