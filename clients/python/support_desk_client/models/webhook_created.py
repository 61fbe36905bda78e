from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="WebhookCreated")



@_attrs_define
class WebhookCreated:
    """ Returned once, by the POST: the only time the secret is shown.

        Attributes:
            active (bool):
            consecutive_failures (int):
            created_at (datetime.datetime):
            customer_id (None | UUID):
            disabled_at (datetime.datetime | None):
            disabled_reason (None | str):
            event_types (list[str]):
            id (UUID):
            secret (str):
            url (str):
     """

    active: bool
    consecutive_failures: int
    created_at: datetime.datetime
    customer_id: None | UUID
    disabled_at: datetime.datetime | None
    disabled_reason: None | str
    event_types: list[str]
    id: UUID
    secret: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        consecutive_failures = self.consecutive_failures

        created_at = self.created_at.isoformat()

        customer_id: None | str
        if isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        disabled_at: None | str
        if isinstance(self.disabled_at, datetime.datetime):
            disabled_at = self.disabled_at.isoformat()
        else:
            disabled_at = self.disabled_at

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        event_types = self.event_types



        id = str(self.id)

        secret = self.secret

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "consecutive_failures": consecutive_failures,
            "created_at": created_at,
            "customer_id": customer_id,
            "disabled_at": disabled_at,
            "disabled_reason": disabled_reason,
            "event_types": event_types,
            "id": id,
            "secret": secret,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        consecutive_failures = d.pop("consecutive_failures")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_customer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_id_type_0 = UUID(data)



                return customer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))


        def _parse_disabled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disabled_at_type_0 = datetime.datetime.fromisoformat(data)



                return disabled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        disabled_at = _parse_disabled_at(d.pop("disabled_at"))


        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))


        event_types = cast(list[str], d.pop("event_types"))


        id = UUID(d.pop("id"))




        secret = d.pop("secret")

        url = d.pop("url")

        webhook_created = cls(
            active=active,
            consecutive_failures=consecutive_failures,
            created_at=created_at,
            customer_id=customer_id,
            disabled_at=disabled_at,
            disabled_reason=disabled_reason,
            event_types=event_types,
            id=id,
            secret=secret,
            url=url,
        )


        webhook_created.additional_properties = d
        return webhook_created

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
