from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.inbound_result_outcome import InboundResultOutcome
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.ticket_read import TicketRead





T = TypeVar("T", bound="InboundResult")



@_attrs_define
class InboundResult:
    """ 
        Attributes:
            duplicate (bool):
            outcome (InboundResultOutcome):
            ticket (TicketRead):
            comment_id (None | Unset | UUID):
     """

    duplicate: bool
    outcome: InboundResultOutcome
    ticket: TicketRead
    comment_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        duplicate = self.duplicate

        outcome = self.outcome.value

        ticket = self.ticket.to_dict()

        comment_id: None | str | Unset
        if isinstance(self.comment_id, Unset):
            comment_id = UNSET
        elif isinstance(self.comment_id, UUID):
            comment_id = str(self.comment_id)
        else:
            comment_id = self.comment_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "duplicate": duplicate,
            "outcome": outcome,
            "ticket": ticket,
        })
        if comment_id is not UNSET:
            field_dict["comment_id"] = comment_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_read import TicketRead # noqa: PLC0415
        d = dict(src_dict)
        duplicate = d.pop("duplicate")

        outcome = InboundResultOutcome(d.pop("outcome"))




        ticket = TicketRead.from_dict(d.pop("ticket"))




        def _parse_comment_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                comment_id_type_0 = UUID(data)



                return comment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        comment_id = _parse_comment_id(d.pop("comment_id", UNSET))


        inbound_result = cls(
            duplicate=duplicate,
            outcome=outcome,
            ticket=ticket,
            comment_id=comment_id,
        )


        inbound_result.additional_properties = d
        return inbound_result

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
