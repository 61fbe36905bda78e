from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.customer_read_tier_type_0 import CustomerReadTierType0
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="CustomerRead")



@_attrs_define
class CustomerRead:
    """ 
        Attributes:
            calendar_version (str):
            created_at (datetime.datetime):
            id (UUID):
            name (str):
            products (list[str]):
            timezone (str):
            trained_specialists (int):
            updated_at (datetime.datetime):
            warranty_until (datetime.date | None):
            tier (CustomerReadTierType0 | None | Unset):
     """

    calendar_version: str
    created_at: datetime.datetime
    id: UUID
    name: str
    products: list[str]
    timezone: str
    trained_specialists: int
    updated_at: datetime.datetime
    warranty_until: datetime.date | None
    tier: CustomerReadTierType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        calendar_version = self.calendar_version

        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        products = self.products



        timezone = self.timezone

        trained_specialists = self.trained_specialists

        updated_at = self.updated_at.isoformat()

        warranty_until: None | str
        if isinstance(self.warranty_until, datetime.date):
            warranty_until = self.warranty_until.isoformat()
        else:
            warranty_until = self.warranty_until

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, CustomerReadTierType0):
            tier = self.tier.value
        else:
            tier = self.tier


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "calendar_version": calendar_version,
            "created_at": created_at,
            "id": id,
            "name": name,
            "products": products,
            "timezone": timezone,
            "trained_specialists": trained_specialists,
            "updated_at": updated_at,
            "warranty_until": warranty_until,
        })
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        calendar_version = d.pop("calendar_version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        name = d.pop("name")

        products = cast(list[str], d.pop("products"))


        timezone = d.pop("timezone")

        trained_specialists = d.pop("trained_specialists")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_warranty_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                warranty_until_type_0 = datetime.date.fromisoformat(data)



                return warranty_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        warranty_until = _parse_warranty_until(d.pop("warranty_until"))


        def _parse_tier(data: object) -> CustomerReadTierType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tier_type_0 = CustomerReadTierType0(data)



                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerReadTierType0 | None | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))


        customer_read = cls(
            calendar_version=calendar_version,
            created_at=created_at,
            id=id,
            name=name,
            products=products,
            timezone=timezone,
            trained_specialists=trained_specialists,
            updated_at=updated_at,
            warranty_until=warranty_until,
            tier=tier,
        )


        customer_read.additional_properties = d
        return customer_read

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
