from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AttachmentIn")



@_attrs_define
class AttachmentIn:
    """ Metadata of a file kept elsewhere (intake stores no file content).

        Attributes:
            filename (str):
            size_bytes (int):
            content_type (str | Unset):  Default: 'application/octet-stream'.
            url (None | str | Unset):
     """

    filename: str
    size_bytes: int
    content_type: str | Unset = 'application/octet-stream'
    url: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        size_bytes = self.size_bytes

        content_type = self.content_type

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "filename": filename,
            "size_bytes": size_bytes,
        })
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        filename = d.pop("filename")

        size_bytes = d.pop("size_bytes")

        content_type = d.pop("content_type", UNSET)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))


        attachment_in = cls(
            filename=filename,
            size_bytes=size_bytes,
            content_type=content_type,
            url=url,
        )

        return attachment_in

