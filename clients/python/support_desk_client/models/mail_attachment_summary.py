from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MailAttachmentSummary")



@_attrs_define
class MailAttachmentSummary:
    """ 
        Attributes:
            declared_type (str):
            filename (str):
            inline (bool):
            size (int):
     """

    declared_type: str
    filename: str
    inline: bool
    size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        declared_type = self.declared_type

        filename = self.filename

        inline = self.inline

        size = self.size


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "declared_type": declared_type,
            "filename": filename,
            "inline": inline,
            "size": size,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        declared_type = d.pop("declared_type")

        filename = d.pop("filename")

        inline = d.pop("inline")

        size = d.pop("size")

        mail_attachment_summary = cls(
            declared_type=declared_type,
            filename=filename,
            inline=inline,
            size=size,
        )


        mail_attachment_summary.additional_properties = d
        return mail_attachment_summary

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
