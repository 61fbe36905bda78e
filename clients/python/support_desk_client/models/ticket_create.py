from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.channel import Channel
from ..models.feature import Feature
from ..models.service_subtype import ServiceSubtype
from ..models.severity import Severity
from ..models.ticket_type import TicketType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.attachment_in import AttachmentIn





T = TypeVar("T", bound="TicketCreate")



@_attrs_define
class TicketCreate:
    """ 
        Attributes:
            contact_email (str):
            subject (str):
            attachments (list[AttachmentIn] | Unset):
            channel (Channel | Unset): How a ticket reached the desk.
            description (str | Unset):  Default: ''.
            entered_by (None | str | Unset):
            product (None | str | Unset):
            product_version (None | str | Unset):
            requested_feature (Feature | None | Unset):
            severity (Severity | Unset): How badly an incident hurts the customer, most urgent first.
            subtype (None | ServiceSubtype | Unset):
            type_ (TicketType | Unset): What a ticket asks for: a fault fixed, a service performed, or a change made.
     """

    contact_email: str
    subject: str
    attachments: list[AttachmentIn] | Unset = UNSET
    channel: Channel | Unset = UNSET
    description: str | Unset = ''
    entered_by: None | str | Unset = UNSET
    product: None | str | Unset = UNSET
    product_version: None | str | Unset = UNSET
    requested_feature: Feature | None | Unset = UNSET
    severity: Severity | Unset = UNSET
    subtype: None | ServiceSubtype | Unset = UNSET
    type_: TicketType | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.attachment_in import AttachmentIn # noqa: PLC0415
        contact_email = self.contact_email

        subject = self.subject

        attachments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attachments, Unset):
            attachments = []
            for attachments_item_data in self.attachments:
                attachments_item = attachments_item_data.to_dict()
                attachments.append(attachments_item)



        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value


        description = self.description

        entered_by: None | str | Unset
        if isinstance(self.entered_by, Unset):
            entered_by = UNSET
        else:
            entered_by = self.entered_by

        product: None | str | Unset
        if isinstance(self.product, Unset):
            product = UNSET
        else:
            product = self.product

        product_version: None | str | Unset
        if isinstance(self.product_version, Unset):
            product_version = UNSET
        else:
            product_version = self.product_version

        requested_feature: None | str | Unset
        if isinstance(self.requested_feature, Unset):
            requested_feature = UNSET
        elif isinstance(self.requested_feature, Feature):
            requested_feature = self.requested_feature.value
        else:
            requested_feature = self.requested_feature

        severity: str | Unset = UNSET
        if not isinstance(self.severity, Unset):
            severity = self.severity.value


        subtype: None | str | Unset
        if isinstance(self.subtype, Unset):
            subtype = UNSET
        elif isinstance(self.subtype, ServiceSubtype):
            subtype = self.subtype.value
        else:
            subtype = self.subtype

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "contact_email": contact_email,
            "subject": subject,
        })
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if channel is not UNSET:
            field_dict["channel"] = channel
        if description is not UNSET:
            field_dict["description"] = description
        if entered_by is not UNSET:
            field_dict["entered_by"] = entered_by
        if product is not UNSET:
            field_dict["product"] = product
        if product_version is not UNSET:
            field_dict["product_version"] = product_version
        if requested_feature is not UNSET:
            field_dict["requested_feature"] = requested_feature
        if severity is not UNSET:
            field_dict["severity"] = severity
        if subtype is not UNSET:
            field_dict["subtype"] = subtype
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_in import AttachmentIn # noqa: PLC0415
        d = dict(src_dict)
        contact_email = d.pop("contact_email")

        subject = d.pop("subject")

        _attachments = d.pop("attachments", UNSET)
        attachments: list[AttachmentIn] | Unset = UNSET
        if _attachments is not UNSET:
            attachments = []
            for attachments_item_data in _attachments:
                attachments_item = AttachmentIn.from_dict(attachments_item_data)



                attachments.append(attachments_item)


        _channel = d.pop("channel", UNSET)
        channel: Channel | Unset
        if isinstance(_channel,  Unset):
            channel = UNSET
        else:
            channel = Channel(_channel)




        description = d.pop("description", UNSET)

        def _parse_entered_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entered_by = _parse_entered_by(d.pop("entered_by", UNSET))


        def _parse_product(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product = _parse_product(d.pop("product", UNSET))


        def _parse_product_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_version = _parse_product_version(d.pop("product_version", UNSET))


        def _parse_requested_feature(data: object) -> Feature | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requested_feature_type_0 = Feature(data)



                return requested_feature_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Feature | None | Unset, data)

        requested_feature = _parse_requested_feature(d.pop("requested_feature", UNSET))


        _severity = d.pop("severity", UNSET)
        severity: Severity | Unset
        if isinstance(_severity,  Unset):
            severity = UNSET
        else:
            severity = Severity(_severity)




        def _parse_subtype(data: object) -> None | ServiceSubtype | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subtype_type_0 = ServiceSubtype(data)



                return subtype_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceSubtype | Unset, data)

        subtype = _parse_subtype(d.pop("subtype", UNSET))


        _type_ = d.pop("type", UNSET)
        type_: TicketType | Unset
        if isinstance(_type_,  Unset):
            type_ = UNSET
        else:
            type_ = TicketType(_type_)




        ticket_create = cls(
            contact_email=contact_email,
            subject=subject,
            attachments=attachments,
            channel=channel,
            description=description,
            entered_by=entered_by,
            product=product,
            product_version=product_version,
            requested_feature=requested_feature,
            severity=severity,
            subtype=subtype,
            type_=type_,
        )

        return ticket_create

