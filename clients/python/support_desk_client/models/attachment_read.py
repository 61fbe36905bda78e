from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="AttachmentRead")



@_attrs_define
class AttachmentRead:
    """ A stored file of a ticket; ``url`` downloads its bytes through the gateway.

        Attributes:
            comment_id (None | UUID):
            content_type (str): Sniffed from the bytes, not taken from the sender
            created_at (datetime.datetime):
            filename (str):
            id (UUID):
            sha256 (str): Hex SHA-256 of the bytes (also the download's ETag)
            size (int): Bytes
            source (str): email, api or portal
            ticket_id (UUID):
            uploaded_by (str):
            url (str):
     """

    comment_id: None | UUID
    content_type: str
    created_at: datetime.datetime
    filename: str
    id: UUID
    sha256: str
    size: int
    source: str
    ticket_id: UUID
    uploaded_by: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        comment_id: None | str
        if isinstance(self.comment_id, UUID):
            comment_id = str(self.comment_id)
        else:
            comment_id = self.comment_id

        content_type = self.content_type

        created_at = self.created_at.isoformat()

        filename = self.filename

        id = str(self.id)

        sha256 = self.sha256

        size = self.size

        source = self.source

        ticket_id = str(self.ticket_id)

        uploaded_by = self.uploaded_by

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "comment_id": comment_id,
            "content_type": content_type,
            "created_at": created_at,
            "filename": filename,
            "id": id,
            "sha256": sha256,
            "size": size,
            "source": source,
            "ticket_id": ticket_id,
            "uploaded_by": uploaded_by,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_comment_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                comment_id_type_0 = UUID(data)



                return comment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        comment_id = _parse_comment_id(d.pop("comment_id"))


        content_type = d.pop("content_type")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        filename = d.pop("filename")

        id = UUID(d.pop("id"))




        sha256 = d.pop("sha256")

        size = d.pop("size")

        source = d.pop("source")

        ticket_id = UUID(d.pop("ticket_id"))




        uploaded_by = d.pop("uploaded_by")

        url = d.pop("url")

        attachment_read = cls(
            comment_id=comment_id,
            content_type=content_type,
            created_at=created_at,
            filename=filename,
            id=id,
            sha256=sha256,
            size=size,
            source=source,
            ticket_id=ticket_id,
            uploaded_by=uploaded_by,
            url=url,
        )


        attachment_read.additional_properties = d
        return attachment_read

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
