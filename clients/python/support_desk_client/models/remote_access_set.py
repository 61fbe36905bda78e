from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.actor_in import ActorIn





T = TypeVar("T", bound="RemoteAccessSet")



@_attrs_define
class RemoteAccessSet:
    """ 
        Attributes:
            available (bool):
            actor (ActorIn | None | Unset):
     """

    available: bool
    actor: ActorIn | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        available = self.available

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, ActorIn):
            actor = self.actor.to_dict()
        else:
            actor = self.actor


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "available": available,
        })
        if actor is not UNSET:
            field_dict["actor"] = actor

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        d = dict(src_dict)
        available = d.pop("available")

        def _parse_actor(data: object) -> ActorIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                actor_type_0 = ActorIn.from_dict(data)



                return actor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActorIn | None | Unset, data)

        actor = _parse_actor(d.pop("actor", UNSET))


        remote_access_set = cls(
            available=available,
            actor=actor,
        )

        return remote_access_set

