from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.corrective_kind import CorrectiveKind






T = TypeVar("T", bound="CorrectiveActionCreate")



@_attrs_define
class CorrectiveActionCreate:
    """ 
        Attributes:
            kind (CorrectiveKind):
            summary (str):
     """

    kind: CorrectiveKind
    summary: str





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        summary = self.summary


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
            "summary": summary,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = CorrectiveKind(d.pop("kind"))




        summary = d.pop("summary")

        corrective_action_create = cls(
            kind=kind,
            summary=summary,
        )

        return corrective_action_create

