from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.attachment_read import AttachmentRead
  from ..models.comment_read import CommentRead





T = TypeVar("T", bound="UploadRead")



@_attrs_define
class UploadRead:
    """ What an upload stored, and the public comment that carries the files (if text was sent).

        Attributes:
            attachments (list[AttachmentRead]):
            comment (CommentRead | None | Unset):
     """

    attachments: list[AttachmentRead]
    comment: CommentRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attachment_read import AttachmentRead # noqa: PLC0415
        from ..models.comment_read import CommentRead # noqa: PLC0415
        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)



        comment: dict[str, Any] | None | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        elif isinstance(self.comment, CommentRead):
            comment = self.comment.to_dict()
        else:
            comment = self.comment


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attachments": attachments,
        })
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_read import AttachmentRead # noqa: PLC0415
        from ..models.comment_read import CommentRead # noqa: PLC0415
        d = dict(src_dict)
        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in (_attachments):
            attachments_item = AttachmentRead.from_dict(attachments_item_data)



            attachments.append(attachments_item)


        def _parse_comment(data: object) -> CommentRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                comment_type_0 = CommentRead.from_dict(data)



                return comment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommentRead | None | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))


        upload_read = cls(
            attachments=attachments,
            comment=comment,
        )


        upload_read.additional_properties = d
        return upload_read

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
