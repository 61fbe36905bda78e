from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.actor_in import ActorIn





T = TypeVar("T", bound="VisitCreate")



@_attrs_define
class VisitCreate:
    """ 
        Attributes:
            address (str):
            wished_date (datetime.date):
            actor (ActorIn | None | Unset):
            within_ring_road (bool | Unset):  Default: False.
     """

    address: str
    wished_date: datetime.date
    actor: ActorIn | None | Unset = UNSET
    within_ring_road: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        address = self.address

        wished_date = self.wished_date.isoformat()

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, ActorIn):
            actor = self.actor.to_dict()
        else:
            actor = self.actor

        within_ring_road = self.within_ring_road


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "address": address,
            "wished_date": wished_date,
        })
        if actor is not UNSET:
            field_dict["actor"] = actor
        if within_ring_road is not UNSET:
            field_dict["within_ring_road"] = within_ring_road

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        d = dict(src_dict)
        address = d.pop("address")

        wished_date = datetime.date.fromisoformat(d.pop("wished_date"))




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


        within_ring_road = d.pop("within_ring_road", UNSET)

        visit_create = cls(
            address=address,
            wished_date=wished_date,
            actor=actor,
            within_ring_road=within_ring_road,
        )

        return visit_create

