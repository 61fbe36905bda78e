from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.release_read_kind import ReleaseReadKind
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ReleaseRead")



@_attrs_define
class ReleaseRead:
    """ 
        Attributes:
            customer_ids (list[UUID]):
            id (UUID):
            kind (ReleaseReadKind):
            notes (str):
            product (str):
            published_at (datetime.datetime):
            version (str):
     """

    customer_ids: list[UUID]
    id: UUID
    kind: ReleaseReadKind
    notes: str
    product: str
    published_at: datetime.datetime
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        customer_ids = []
        for customer_ids_item_data in self.customer_ids:
            customer_ids_item = str(customer_ids_item_data)
            customer_ids.append(customer_ids_item)



        id = str(self.id)

        kind = self.kind.value

        notes = self.notes

        product = self.product

        published_at = self.published_at.isoformat()

        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customer_ids": customer_ids,
            "id": id,
            "kind": kind,
            "notes": notes,
            "product": product,
            "published_at": published_at,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_ids = []
        _customer_ids = d.pop("customer_ids")
        for customer_ids_item_data in (_customer_ids):
            customer_ids_item = UUID(customer_ids_item_data)



            customer_ids.append(customer_ids_item)


        id = UUID(d.pop("id"))




        kind = ReleaseReadKind(d.pop("kind"))




        notes = d.pop("notes")

        product = d.pop("product")

        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))




        version = d.pop("version")

        release_read = cls(
            customer_ids=customer_ids,
            id=id,
            kind=kind,
            notes=notes,
            product=product,
            published_at=published_at,
            version=version,
        )


        release_read.additional_properties = d
        return release_read

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
