from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.release_create_kind import ReleaseCreateKind
from ..types import UNSET, Unset






T = TypeVar("T", bound="ReleaseCreate")



@_attrs_define
class ReleaseCreate:
    """ 
        Attributes:
            kind (ReleaseCreateKind):
            product (str):
            version (str):
            notes (str | Unset):  Default: ''.
     """

    kind: ReleaseCreateKind
    product: str
    version: str
    notes: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        product = self.product

        version = self.version

        notes = self.notes


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
            "product": product,
            "version": version,
        })
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ReleaseCreateKind(d.pop("kind"))




        product = d.pop("product")

        version = d.pop("version")

        notes = d.pop("notes", UNSET)

        release_create = cls(
            kind=kind,
            product=product,
            version=version,
            notes=notes,
        )

        return release_create

