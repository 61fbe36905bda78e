from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.comment_read_attachments_item import CommentReadAttachmentsItem





T = TypeVar("T", bound="CommentRead")



@_attrs_define
class CommentRead:
    """ 
        Attributes:
            attachments (list[CommentReadAttachmentsItem]):
            author (None | str):
            author_kind (str):
            body (str):
            channel (None | str):
            created_at (datetime.datetime):
            id (UUID):
            public (bool):
            ticket_id (UUID):
     """

    attachments: list[CommentReadAttachmentsItem]
    author: None | str
    author_kind: str
    body: str
    channel: None | str
    created_at: datetime.datetime
    id: UUID
    public: bool
    ticket_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.comment_read_attachments_item import CommentReadAttachmentsItem # noqa: PLC0415
        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)



        author: None | str
        author = self.author

        author_kind = self.author_kind

        body = self.body

        channel: None | str
        channel = self.channel

        created_at = self.created_at.isoformat()

        id = str(self.id)

        public = self.public

        ticket_id = str(self.ticket_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attachments": attachments,
            "author": author,
            "author_kind": author_kind,
            "body": body,
            "channel": channel,
            "created_at": created_at,
            "id": id,
            "public": public,
            "ticket_id": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comment_read_attachments_item import CommentReadAttachmentsItem # noqa: PLC0415
        d = dict(src_dict)
        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in (_attachments):
            attachments_item = CommentReadAttachmentsItem.from_dict(attachments_item_data)



            attachments.append(attachments_item)


        def _parse_author(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        author = _parse_author(d.pop("author"))


        author_kind = d.pop("author_kind")

        body = d.pop("body")

        def _parse_channel(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        channel = _parse_channel(d.pop("channel"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        public = d.pop("public")

        ticket_id = UUID(d.pop("ticket_id"))




        comment_read = cls(
            attachments=attachments,
            author=author,
            author_kind=author_kind,
            body=body,
            channel=channel,
            created_at=created_at,
            id=id,
            public=public,
            ticket_id=ticket_id,
        )


        comment_read.additional_properties = d
        return comment_read

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
