from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CustomerCreate")



@_attrs_define
class CustomerCreate:
    """ 
        Attributes:
            name (str):
            products (list[str] | Unset):
            trained_specialists (int | Unset):  Default: 0.
            warranty_until (datetime.date | None | Unset):
     """

    name: str
    products: list[str] | Unset = UNSET
    trained_specialists: int | Unset = 0
    warranty_until: datetime.date | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        products: list[str] | Unset = UNSET
        if not isinstance(self.products, Unset):
            products = self.products



        trained_specialists = self.trained_specialists

        warranty_until: None | str | Unset
        if isinstance(self.warranty_until, Unset):
            warranty_until = UNSET
        elif isinstance(self.warranty_until, datetime.date):
            warranty_until = self.warranty_until.isoformat()
        else:
            warranty_until = self.warranty_until


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if products is not UNSET:
            field_dict["products"] = products
        if trained_specialists is not UNSET:
            field_dict["trained_specialists"] = trained_specialists
        if warranty_until is not UNSET:
            field_dict["warranty_until"] = warranty_until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        products = cast(list[str], d.pop("products", UNSET))


        trained_specialists = d.pop("trained_specialists", UNSET)

        def _parse_warranty_until(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                warranty_until_type_0 = datetime.date.fromisoformat(data)



                return warranty_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        warranty_until = _parse_warranty_until(d.pop("warranty_until", UNSET))


        customer_create = cls(
            name=name,
            products=products,
            trained_specialists=trained_specialists,
            warranty_until=warranty_until,
        )

        return customer_create

