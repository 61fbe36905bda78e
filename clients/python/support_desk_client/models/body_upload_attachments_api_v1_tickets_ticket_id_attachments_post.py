from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.body_upload_attachments_api_v1_tickets_ticket_id_attachments_post_source import BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost")



@_attrs_define
class BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost:
    """ 
        Attributes:
            file (list[str]): One or more files (repeat the `file` field)
            comment (None | str | Unset): Text of a public comment carrying the files
            contact_email (None | str | Unset): The contact who uploads (required with a customer's or bot's key)
            source (BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource | Unset):  Default:
                BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource.API.
     """

    file: list[str]
    comment: None | str | Unset = UNSET
    contact_email: None | str | Unset = UNSET
    source: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource | Unset = BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource.API
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file = self.file



        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        contact_email: None | str | Unset
        if isinstance(self.contact_email, Unset):
            contact_email = UNSET
        else:
            contact_email = self.contact_email

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file": file,
        })
        if comment is not UNSET:
            field_dict["comment"] = comment
        if contact_email is not UNSET:
            field_dict["contact_email"] = contact_email
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        for file_item_element in self.file:
            files.append(("file", (None, str(file_item_element).encode(), "text/plain")))




        if not isinstance(self.comment, Unset):
            if isinstance(self.comment, str):

                files.append(("comment", (None, str(self.comment).encode(), "text/plain")))
            else:
                files.append(("comment", (None, str(self.comment).encode(), "text/plain")))


        if not isinstance(self.contact_email, Unset):
            if isinstance(self.contact_email, str):

                files.append(("contact_email", (None, str(self.contact_email).encode(), "text/plain")))
            else:
                files.append(("contact_email", (None, str(self.contact_email).encode(), "text/plain")))


        if not isinstance(self.source, Unset):
            files.append(("source",  (None, str(self.source.value).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = cast(list[str], d.pop("file"))


        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))


        def _parse_contact_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_email = _parse_contact_email(d.pop("contact_email", UNSET))


        _source = d.pop("source", UNSET)
        source: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource | Unset
        if isinstance(_source,  Unset):
            source = UNSET
        else:
            source = BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource(_source)




        body_upload_attachments_api_v1_tickets_ticket_id_attachments_post = cls(
            file=file,
            comment=comment,
            contact_email=contact_email,
            source=source,
        )


        body_upload_attachments_api_v1_tickets_ticket_id_attachments_post.additional_properties = d
        return body_upload_attachments_api_v1_tickets_ticket_id_attachments_post

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
