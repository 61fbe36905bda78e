from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="WebhookCreate")



@_attrs_define
class WebhookCreate:
    """ A subscription: where to POST, which event types, optionally one customer's only.

        Attributes:
            event_types (list[str]):
            url (str):
            customer_id (None | Unset | UUID):
     """

    event_types: list[str]
    url: str
    customer_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        event_types = self.event_types



        url = self.url

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        elif isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "event_types": event_types,
            "url": url,
        })
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_types = cast(list[str], d.pop("event_types"))


        url = d.pop("url")

        def _parse_customer_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_id_type_0 = UUID(data)



                return customer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))


        webhook_create = cls(
            event_types=event_types,
            url=url,
            customer_id=customer_id,
        )

        return webhook_create

