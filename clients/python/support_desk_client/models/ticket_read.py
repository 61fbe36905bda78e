from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.article_ref import ArticleRef
  from ..models.sla_read import SlaRead
  from ..models.ticket_read_attachments_item import TicketReadAttachmentsItem
  from ..models.ticket_read_corrective_actions_item import TicketReadCorrectiveActionsItem
  from ..models.ticket_read_cr_details import TicketReadCrDetails





T = TypeVar("T", bound="TicketRead")



@_attrs_define
class TicketRead:
    """ 
        Attributes:
            assignee (None | str):
            attachments (list[TicketReadAttachmentsItem]):
            auto_close_at (datetime.datetime | None):
            calendar_version (None | str):
            channel (str):
            closed_at (datetime.datetime | None):
            contact_email (None | str):
            contact_id (None | UUID):
            corrective_actions (list[TicketReadCorrectiveActionsItem]):
            cr_details (TicketReadCrDetails):
            cr_status (None | str):
            customer_id (UUID):
            description (str):
            entered_by (None | str):
            hardware_fault (bool):
            hardware_fault_reason (None | str):
            id (UUID):
            policy_version (str):
            product (None | str):
            product_version (None | str):
            received_at (datetime.datetime):
            registration_number (str):
            requested_feature (None | str):
            resolved_at (datetime.datetime | None):
            severity (str):
            severity_capped (bool):
            status (str):
            status_reason (None | str):
            subject (str):
            support_line (int):
            tier (str):
            tier_priority (int):
            type_ (str):
            version (int):
            alert_fingerprint (None | str | Unset):
            allowed_actions (list[str] | Unset):
            analysis_report (None | str | Unset):
            maintenance_occurrence_key (None | str | Unset):
            phone_confirmation_recorded_by (None | str | Unset):
            phone_confirmed_at (datetime.datetime | None | Unset):
            phone_confirmed_by (None | str | Unset):
            remote_access_available (bool | Unset):  Default: False.
            sla (None | SlaRead | Unset):
            subtype (None | str | Unset):
            suggested_articles (list[ArticleRef] | None | Unset):
     """

    assignee: None | str
    attachments: list[TicketReadAttachmentsItem]
    auto_close_at: datetime.datetime | None
    calendar_version: None | str
    channel: str
    closed_at: datetime.datetime | None
    contact_email: None | str
    contact_id: None | UUID
    corrective_actions: list[TicketReadCorrectiveActionsItem]
    cr_details: TicketReadCrDetails
    cr_status: None | str
    customer_id: UUID
    description: str
    entered_by: None | str
    hardware_fault: bool
    hardware_fault_reason: None | str
    id: UUID
    policy_version: str
    product: None | str
    product_version: None | str
    received_at: datetime.datetime
    registration_number: str
    requested_feature: None | str
    resolved_at: datetime.datetime | None
    severity: str
    severity_capped: bool
    status: str
    status_reason: None | str
    subject: str
    support_line: int
    tier: str
    tier_priority: int
    type_: str
    version: int
    alert_fingerprint: None | str | Unset = UNSET
    allowed_actions: list[str] | Unset = UNSET
    analysis_report: None | str | Unset = UNSET
    maintenance_occurrence_key: None | str | Unset = UNSET
    phone_confirmation_recorded_by: None | str | Unset = UNSET
    phone_confirmed_at: datetime.datetime | None | Unset = UNSET
    phone_confirmed_by: None | str | Unset = UNSET
    remote_access_available: bool | Unset = False
    sla: None | SlaRead | Unset = UNSET
    subtype: None | str | Unset = UNSET
    suggested_articles: list[ArticleRef] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.article_ref import ArticleRef # noqa: PLC0415
        from ..models.sla_read import SlaRead # noqa: PLC0415
        from ..models.ticket_read_attachments_item import TicketReadAttachmentsItem # noqa: PLC0415
        from ..models.ticket_read_corrective_actions_item import TicketReadCorrectiveActionsItem # noqa: PLC0415
        from ..models.ticket_read_cr_details import TicketReadCrDetails # noqa: PLC0415
        assignee: None | str
        assignee = self.assignee

        attachments = []
        for attachments_item_data in self.attachments:
            attachments_item = attachments_item_data.to_dict()
            attachments.append(attachments_item)



        auto_close_at: None | str
        if isinstance(self.auto_close_at, datetime.datetime):
            auto_close_at = self.auto_close_at.isoformat()
        else:
            auto_close_at = self.auto_close_at

        calendar_version: None | str
        calendar_version = self.calendar_version

        channel = self.channel

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        contact_email: None | str
        contact_email = self.contact_email

        contact_id: None | str
        if isinstance(self.contact_id, UUID):
            contact_id = str(self.contact_id)
        else:
            contact_id = self.contact_id

        corrective_actions = []
        for corrective_actions_item_data in self.corrective_actions:
            corrective_actions_item = corrective_actions_item_data.to_dict()
            corrective_actions.append(corrective_actions_item)



        cr_details = self.cr_details.to_dict()

        cr_status: None | str
        cr_status = self.cr_status

        customer_id = str(self.customer_id)

        description = self.description

        entered_by: None | str
        entered_by = self.entered_by

        hardware_fault = self.hardware_fault

        hardware_fault_reason: None | str
        hardware_fault_reason = self.hardware_fault_reason

        id = str(self.id)

        policy_version = self.policy_version

        product: None | str
        product = self.product

        product_version: None | str
        product_version = self.product_version

        received_at = self.received_at.isoformat()

        registration_number = self.registration_number

        requested_feature: None | str
        requested_feature = self.requested_feature

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        severity = self.severity

        severity_capped = self.severity_capped

        status = self.status

        status_reason: None | str
        status_reason = self.status_reason

        subject = self.subject

        support_line = self.support_line

        tier = self.tier

        tier_priority = self.tier_priority

        type_ = self.type_

        version = self.version

        alert_fingerprint: None | str | Unset
        if isinstance(self.alert_fingerprint, Unset):
            alert_fingerprint = UNSET
        else:
            alert_fingerprint = self.alert_fingerprint

        allowed_actions: list[str] | Unset = UNSET
        if not isinstance(self.allowed_actions, Unset):
            allowed_actions = self.allowed_actions



        analysis_report: None | str | Unset
        if isinstance(self.analysis_report, Unset):
            analysis_report = UNSET
        else:
            analysis_report = self.analysis_report

        maintenance_occurrence_key: None | str | Unset
        if isinstance(self.maintenance_occurrence_key, Unset):
            maintenance_occurrence_key = UNSET
        else:
            maintenance_occurrence_key = self.maintenance_occurrence_key

        phone_confirmation_recorded_by: None | str | Unset
        if isinstance(self.phone_confirmation_recorded_by, Unset):
            phone_confirmation_recorded_by = UNSET
        else:
            phone_confirmation_recorded_by = self.phone_confirmation_recorded_by

        phone_confirmed_at: None | str | Unset
        if isinstance(self.phone_confirmed_at, Unset):
            phone_confirmed_at = UNSET
        elif isinstance(self.phone_confirmed_at, datetime.datetime):
            phone_confirmed_at = self.phone_confirmed_at.isoformat()
        else:
            phone_confirmed_at = self.phone_confirmed_at

        phone_confirmed_by: None | str | Unset
        if isinstance(self.phone_confirmed_by, Unset):
            phone_confirmed_by = UNSET
        else:
            phone_confirmed_by = self.phone_confirmed_by

        remote_access_available = self.remote_access_available

        sla: dict[str, Any] | None | Unset
        if isinstance(self.sla, Unset):
            sla = UNSET
        elif isinstance(self.sla, SlaRead):
            sla = self.sla.to_dict()
        else:
            sla = self.sla

        subtype: None | str | Unset
        if isinstance(self.subtype, Unset):
            subtype = UNSET
        else:
            subtype = self.subtype

        suggested_articles: list[dict[str, Any]] | None | Unset
        if isinstance(self.suggested_articles, Unset):
            suggested_articles = UNSET
        elif isinstance(self.suggested_articles, list):
            suggested_articles = []
            for suggested_articles_type_0_item_data in self.suggested_articles:
                suggested_articles_type_0_item = suggested_articles_type_0_item_data.to_dict()
                suggested_articles.append(suggested_articles_type_0_item)


        else:
            suggested_articles = self.suggested_articles


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "assignee": assignee,
            "attachments": attachments,
            "auto_close_at": auto_close_at,
            "calendar_version": calendar_version,
            "channel": channel,
            "closed_at": closed_at,
            "contact_email": contact_email,
            "contact_id": contact_id,
            "corrective_actions": corrective_actions,
            "cr_details": cr_details,
            "cr_status": cr_status,
            "customer_id": customer_id,
            "description": description,
            "entered_by": entered_by,
            "hardware_fault": hardware_fault,
            "hardware_fault_reason": hardware_fault_reason,
            "id": id,
            "policy_version": policy_version,
            "product": product,
            "product_version": product_version,
            "received_at": received_at,
            "registration_number": registration_number,
            "requested_feature": requested_feature,
            "resolved_at": resolved_at,
            "severity": severity,
            "severity_capped": severity_capped,
            "status": status,
            "status_reason": status_reason,
            "subject": subject,
            "support_line": support_line,
            "tier": tier,
            "tier_priority": tier_priority,
            "type": type_,
            "version": version,
        })
        if alert_fingerprint is not UNSET:
            field_dict["alert_fingerprint"] = alert_fingerprint
        if allowed_actions is not UNSET:
            field_dict["allowed_actions"] = allowed_actions
        if analysis_report is not UNSET:
            field_dict["analysis_report"] = analysis_report
        if maintenance_occurrence_key is not UNSET:
            field_dict["maintenance_occurrence_key"] = maintenance_occurrence_key
        if phone_confirmation_recorded_by is not UNSET:
            field_dict["phone_confirmation_recorded_by"] = phone_confirmation_recorded_by
        if phone_confirmed_at is not UNSET:
            field_dict["phone_confirmed_at"] = phone_confirmed_at
        if phone_confirmed_by is not UNSET:
            field_dict["phone_confirmed_by"] = phone_confirmed_by
        if remote_access_available is not UNSET:
            field_dict["remote_access_available"] = remote_access_available
        if sla is not UNSET:
            field_dict["sla"] = sla
        if subtype is not UNSET:
            field_dict["subtype"] = subtype
        if suggested_articles is not UNSET:
            field_dict["suggested_articles"] = suggested_articles

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.article_ref import ArticleRef # noqa: PLC0415
        from ..models.sla_read import SlaRead # noqa: PLC0415
        from ..models.ticket_read_attachments_item import TicketReadAttachmentsItem # noqa: PLC0415
        from ..models.ticket_read_corrective_actions_item import TicketReadCorrectiveActionsItem # noqa: PLC0415
        from ..models.ticket_read_cr_details import TicketReadCrDetails # noqa: PLC0415
        d = dict(src_dict)
        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))


        attachments = []
        _attachments = d.pop("attachments")
        for attachments_item_data in (_attachments):
            attachments_item = TicketReadAttachmentsItem.from_dict(attachments_item_data)



            attachments.append(attachments_item)


        def _parse_auto_close_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                auto_close_at_type_0 = datetime.datetime.fromisoformat(data)



                return auto_close_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        auto_close_at = _parse_auto_close_at(d.pop("auto_close_at"))


        def _parse_calendar_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        calendar_version = _parse_calendar_version(d.pop("calendar_version"))


        channel = d.pop("channel")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))


        def _parse_contact_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        contact_email = _parse_contact_email(d.pop("contact_email"))


        def _parse_contact_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contact_id_type_0 = UUID(data)



                return contact_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        contact_id = _parse_contact_id(d.pop("contact_id"))


        corrective_actions = []
        _corrective_actions = d.pop("corrective_actions")
        for corrective_actions_item_data in (_corrective_actions):
            corrective_actions_item = TicketReadCorrectiveActionsItem.from_dict(corrective_actions_item_data)



            corrective_actions.append(corrective_actions_item)


        cr_details = TicketReadCrDetails.from_dict(d.pop("cr_details"))




        def _parse_cr_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cr_status = _parse_cr_status(d.pop("cr_status"))


        customer_id = UUID(d.pop("customer_id"))




        description = d.pop("description")

        def _parse_entered_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entered_by = _parse_entered_by(d.pop("entered_by"))


        hardware_fault = d.pop("hardware_fault")

        def _parse_hardware_fault_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hardware_fault_reason = _parse_hardware_fault_reason(d.pop("hardware_fault_reason"))


        id = UUID(d.pop("id"))




        policy_version = d.pop("policy_version")

        def _parse_product(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        product = _parse_product(d.pop("product"))


        def _parse_product_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        product_version = _parse_product_version(d.pop("product_version"))


        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))




        registration_number = d.pop("registration_number")

        def _parse_requested_feature(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        requested_feature = _parse_requested_feature(d.pop("requested_feature"))


        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)



                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))


        severity = d.pop("severity")

        severity_capped = d.pop("severity_capped")

        status = d.pop("status")

        def _parse_status_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status_reason = _parse_status_reason(d.pop("status_reason"))


        subject = d.pop("subject")

        support_line = d.pop("support_line")

        tier = d.pop("tier")

        tier_priority = d.pop("tier_priority")

        type_ = d.pop("type")

        version = d.pop("version")

        def _parse_alert_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alert_fingerprint = _parse_alert_fingerprint(d.pop("alert_fingerprint", UNSET))


        allowed_actions = cast(list[str], d.pop("allowed_actions", UNSET))


        def _parse_analysis_report(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        analysis_report = _parse_analysis_report(d.pop("analysis_report", UNSET))


        def _parse_maintenance_occurrence_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        maintenance_occurrence_key = _parse_maintenance_occurrence_key(d.pop("maintenance_occurrence_key", UNSET))


        def _parse_phone_confirmation_recorded_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone_confirmation_recorded_by = _parse_phone_confirmation_recorded_by(d.pop("phone_confirmation_recorded_by", UNSET))


        def _parse_phone_confirmed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                phone_confirmed_at_type_0 = datetime.datetime.fromisoformat(data)



                return phone_confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        phone_confirmed_at = _parse_phone_confirmed_at(d.pop("phone_confirmed_at", UNSET))


        def _parse_phone_confirmed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone_confirmed_by = _parse_phone_confirmed_by(d.pop("phone_confirmed_by", UNSET))


        remote_access_available = d.pop("remote_access_available", UNSET)

        def _parse_sla(data: object) -> None | SlaRead | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sla_type_0 = SlaRead.from_dict(data)



                return sla_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlaRead | Unset, data)

        sla = _parse_sla(d.pop("sla", UNSET))


        def _parse_subtype(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subtype = _parse_subtype(d.pop("subtype", UNSET))


        def _parse_suggested_articles(data: object) -> list[ArticleRef] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                suggested_articles_type_0 = []
                _suggested_articles_type_0 = data
                for suggested_articles_type_0_item_data in (_suggested_articles_type_0):
                    suggested_articles_type_0_item = ArticleRef.from_dict(suggested_articles_type_0_item_data)



                    suggested_articles_type_0.append(suggested_articles_type_0_item)

                return suggested_articles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ArticleRef] | None | Unset, data)

        suggested_articles = _parse_suggested_articles(d.pop("suggested_articles", UNSET))


        ticket_read = cls(
            assignee=assignee,
            attachments=attachments,
            auto_close_at=auto_close_at,
            calendar_version=calendar_version,
            channel=channel,
            closed_at=closed_at,
            contact_email=contact_email,
            contact_id=contact_id,
            corrective_actions=corrective_actions,
            cr_details=cr_details,
            cr_status=cr_status,
            customer_id=customer_id,
            description=description,
            entered_by=entered_by,
            hardware_fault=hardware_fault,
            hardware_fault_reason=hardware_fault_reason,
            id=id,
            policy_version=policy_version,
            product=product,
            product_version=product_version,
            received_at=received_at,
            registration_number=registration_number,
            requested_feature=requested_feature,
            resolved_at=resolved_at,
            severity=severity,
            severity_capped=severity_capped,
            status=status,
            status_reason=status_reason,
            subject=subject,
            support_line=support_line,
            tier=tier,
            tier_priority=tier_priority,
            type_=type_,
            version=version,
            alert_fingerprint=alert_fingerprint,
            allowed_actions=allowed_actions,
            analysis_report=analysis_report,
            maintenance_occurrence_key=maintenance_occurrence_key,
            phone_confirmation_recorded_by=phone_confirmation_recorded_by,
            phone_confirmed_at=phone_confirmed_at,
            phone_confirmed_by=phone_confirmed_by,
            remote_access_available=remote_access_available,
            sla=sla,
            subtype=subtype,
            suggested_articles=suggested_articles,
        )


        ticket_read.additional_properties = d
        return ticket_read

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
