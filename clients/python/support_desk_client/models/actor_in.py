from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.actor_in_kind import ActorInKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ActorIn")



@_attrs_define
class ActorIn:
    """ Who takes an action; see the README (customer vs agent).

        Attributes:
            kind (ActorInKind):
            contact_email (None | str | Unset):
            name (None | str | Unset):
     """

    kind: ActorInKind
    contact_email: None | str | Unset = UNSET
    name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        contact_email: None | str | Unset
        if isinstance(self.contact_email, Unset):
            contact_email = UNSET
        else:
            contact_email = self.contact_email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
        })
        if contact_email is not UNSET:
            field_dict["contact_email"] = contact_email
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ActorInKind(d.pop("kind"))




        def _parse_contact_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_email = _parse_contact_email(d.pop("contact_email", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        actor_in = cls(
            kind=kind,
            contact_email=contact_email,
            name=name,
        )

        return actor_in

