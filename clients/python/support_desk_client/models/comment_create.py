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
  from ..models.attachment_in import AttachmentIn





T = TypeVar("T", bound="CommentCreate")



@_attrs_define
class CommentCreate:
    """ 
        Attributes:
            body (str):
            actor (ActorIn | None | Unset):
            attachments (list[AttachmentIn] | Unset):
            public (bool | Unset):  Default: True.
     """

    body: str
    actor: ActorIn | None | Unset = UNSET
    attachments: list[AttachmentIn] | Unset = UNSET
    public: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        from ..models.attachment_in import AttachmentIn # noqa: PLC0415
        body = self.body

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, ActorIn):
            actor = self.actor.to_dict()
        else:
            actor = self.actor

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)



        public = self.public


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "body": body,
        })
        if actor is not UNSET:
            field_dict["actor"] = actor
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if public is not UNSET:
            field_dict["public"] = public

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_in import ActorIn # noqa: PLC0415
        from ..models.attachment_in import AttachmentIn # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

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


        _attachments = d.pop("attachments", UNSET)
        attachments: list[AttachmentIn] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = AttachmentIn.from_dict(attachments_item_data)



                attachments.append(attachments_item)


        public = d.pop("public", UNSET)

        comment_create = cls(
            body=body,
            actor=actor,
            attachments=attachments,
            public=public,
        )

        return comment_create

