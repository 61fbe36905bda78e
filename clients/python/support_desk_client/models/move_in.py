from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="MoveIn")



@_attrs_define
class MoveIn:
    """ An agent's move of one occurrence (within 31 days of the rule's instant).

        Attributes:
            reason (str):
            to (datetime.datetime):
     """

    reason: str
    to: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        to = self.to.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "reason": reason,
            "to": to,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        to = datetime.datetime.fromisoformat(d.pop("to"))




        move_in = cls(
            reason=reason,
            to=to,
        )

        return move_in

