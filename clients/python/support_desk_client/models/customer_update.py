from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CustomerUpdate")



@_attrs_define
class CustomerUpdate:
    """ 
        Attributes:
            name (None | str | Unset):
            products (list[str] | None | Unset):
            trained_specialists (int | None | Unset):
            warranty_until (datetime.date | None | Unset):
     """

    name: None | str | Unset = UNSET
    products: list[str] | None | Unset = UNSET
    trained_specialists: int | None | Unset = UNSET
    warranty_until: datetime.date | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        products: list[str] | None | Unset
        if isinstance(self.products, Unset):
            products = UNSET
        elif isinstance(self.products, list):
            products = self.products


        else:
            products = self.products

        trained_specialists: int | None | Unset
        if isinstance(self.trained_specialists, Unset):
            trained_specialists = UNSET
        else:
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
        })
        if name is not UNSET:
            field_dict["name"] = name
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
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_products(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                products_type_0 = cast(list[str], data)

                return products_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        products = _parse_products(d.pop("products", UNSET))


        def _parse_trained_specialists(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        trained_specialists = _parse_trained_specialists(d.pop("trained_specialists", UNSET))


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


        customer_update = cls(
            name=name,
            products=products,
            trained_specialists=trained_specialists,
            warranty_until=warranty_until,
        )

        return customer_update

