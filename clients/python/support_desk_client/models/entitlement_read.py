from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.entitlement_read_tier import EntitlementReadTier
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.entitlement_read_alert_severity_map_type_0 import EntitlementReadAlertSeverityMapType0
  from ..models.entitlement_read_features import EntitlementReadFeatures
  from ..models.entitlement_read_schedule import EntitlementReadSchedule
  from ..models.entitlement_read_targets import EntitlementReadTargets
  from ..models.person import Person
  from ..models.policy_document import PolicyDocument





T = TypeVar("T", bound="EntitlementRead")



@_attrs_define
class EntitlementRead:
    """ 
        Attributes:
            at (datetime.datetime):
            calendar_version (str):
            contract_ends_on (datetime.date | None):
            contract_id (None | UUID):
            customer_id (UUID):
            customer_name (str):
            customer_obligations (list[str]):
            dedicated_engineer (None | Person):
            dedicated_manager (None | Person):
            features (EntitlementReadFeatures):
            max_open_tickets (int | None):
            policy (PolicyDocument): A versioned SLA policy: a schedule per tier, targets per tier and severity.
            policy_version (str):
            priority (int):
            products (list[str]):
            reason (str):
            schedule (EntitlementReadSchedule):
            targets (EntitlementReadTargets):
            tier (EntitlementReadTier):
            timezone (str):
            alert_severity_label (None | str | Unset):
            alert_severity_map (EntitlementReadAlertSeverityMapType0 | None | Unset):
            contact_id (None | Unset | UUID):
     """

    at: datetime.datetime
    calendar_version: str
    contract_ends_on: datetime.date | None
    contract_id: None | UUID
    customer_id: UUID
    customer_name: str
    customer_obligations: list[str]
    dedicated_engineer: None | Person
    dedicated_manager: None | Person
    features: EntitlementReadFeatures
    max_open_tickets: int | None
    policy: PolicyDocument
    policy_version: str
    priority: int
    products: list[str]
    reason: str
    schedule: EntitlementReadSchedule
    targets: EntitlementReadTargets
    tier: EntitlementReadTier
    timezone: str
    alert_severity_label: None | str | Unset = UNSET
    alert_severity_map: EntitlementReadAlertSeverityMapType0 | None | Unset = UNSET
    contact_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entitlement_read_alert_severity_map_type_0 import EntitlementReadAlertSeverityMapType0 # noqa: PLC0415
        from ..models.entitlement_read_features import EntitlementReadFeatures # noqa: PLC0415
        from ..models.entitlement_read_schedule import EntitlementReadSchedule # noqa: PLC0415
        from ..models.entitlement_read_targets import EntitlementReadTargets # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        from ..models.policy_document import PolicyDocument # noqa: PLC0415
        at = self.at.isoformat()

        calendar_version = self.calendar_version

        contract_ends_on: None | str
        if isinstance(self.contract_ends_on, datetime.date):
            contract_ends_on = self.contract_ends_on.isoformat()
        else:
            contract_ends_on = self.contract_ends_on

        contract_id: None | str
        if isinstance(self.contract_id, UUID):
            contract_id = str(self.contract_id)
        else:
            contract_id = self.contract_id

        customer_id = str(self.customer_id)

        customer_name = self.customer_name

        customer_obligations = self.customer_obligations



        dedicated_engineer: dict[str, Any] | None
        if isinstance(self.dedicated_engineer, Person):
            dedicated_engineer = self.dedicated_engineer.to_dict()
        else:
            dedicated_engineer = self.dedicated_engineer

        dedicated_manager: dict[str, Any] | None
        if isinstance(self.dedicated_manager, Person):
            dedicated_manager = self.dedicated_manager.to_dict()
        else:
            dedicated_manager = self.dedicated_manager

        features = self.features.to_dict()

        max_open_tickets: int | None
        max_open_tickets = self.max_open_tickets

        policy = self.policy.to_dict()

        policy_version = self.policy_version

        priority = self.priority

        products = self.products



        reason = self.reason

        schedule = self.schedule.to_dict()

        targets = self.targets.to_dict()

        tier = self.tier.value

        timezone = self.timezone

        alert_severity_label: None | str | Unset
        if isinstance(self.alert_severity_label, Unset):
            alert_severity_label = UNSET
        else:
            alert_severity_label = self.alert_severity_label

        alert_severity_map: dict[str, Any] | None | Unset
        if isinstance(self.alert_severity_map, Unset):
            alert_severity_map = UNSET
        elif isinstance(self.alert_severity_map, EntitlementReadAlertSeverityMapType0):
            alert_severity_map = self.alert_severity_map.to_dict()
        else:
            alert_severity_map = self.alert_severity_map

        contact_id: None | str | Unset
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        elif isinstance(self.contact_id, UUID):
            contact_id = str(self.contact_id)
        else:
            contact_id = self.contact_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "calendar_version": calendar_version,
            "contract_ends_on": contract_ends_on,
            "contract_id": contract_id,
            "customer_id": customer_id,
            "customer_name": customer_name,
            "customer_obligations": customer_obligations,
            "dedicated_engineer": dedicated_engineer,
            "dedicated_manager": dedicated_manager,
            "features": features,
            "max_open_tickets": max_open_tickets,
            "policy": policy,
            "policy_version": policy_version,
            "priority": priority,
            "products": products,
            "reason": reason,
            "schedule": schedule,
            "targets": targets,
            "tier": tier,
            "timezone": timezone,
        })
        if alert_severity_label is not UNSET:
            field_dict["alert_severity_label"] = alert_severity_label
        if alert_severity_map is not UNSET:
            field_dict["alert_severity_map"] = alert_severity_map
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entitlement_read_alert_severity_map_type_0 import EntitlementReadAlertSeverityMapType0 # noqa: PLC0415
        from ..models.entitlement_read_features import EntitlementReadFeatures # noqa: PLC0415
        from ..models.entitlement_read_schedule import EntitlementReadSchedule # noqa: PLC0415
        from ..models.entitlement_read_targets import EntitlementReadTargets # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        from ..models.policy_document import PolicyDocument # noqa: PLC0415
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        calendar_version = d.pop("calendar_version")

        def _parse_contract_ends_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contract_ends_on_type_0 = datetime.date.fromisoformat(data)



                return contract_ends_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        contract_ends_on = _parse_contract_ends_on(d.pop("contract_ends_on"))


        def _parse_contract_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contract_id_type_0 = UUID(data)



                return contract_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        contract_id = _parse_contract_id(d.pop("contract_id"))


        customer_id = UUID(d.pop("customer_id"))




        customer_name = d.pop("customer_name")

        customer_obligations = cast(list[str], d.pop("customer_obligations"))


        def _parse_dedicated_engineer(data: object) -> None | Person:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedicated_engineer_type_0 = Person.from_dict(data)



                return dedicated_engineer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Person, data)

        dedicated_engineer = _parse_dedicated_engineer(d.pop("dedicated_engineer"))


        def _parse_dedicated_manager(data: object) -> None | Person:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedicated_manager_type_0 = Person.from_dict(data)



                return dedicated_manager_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Person, data)

        dedicated_manager = _parse_dedicated_manager(d.pop("dedicated_manager"))


        features = EntitlementReadFeatures.from_dict(d.pop("features"))




        def _parse_max_open_tickets(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_open_tickets = _parse_max_open_tickets(d.pop("max_open_tickets"))


        policy = PolicyDocument.from_dict(d.pop("policy"))




        policy_version = d.pop("policy_version")

        priority = d.pop("priority")

        products = cast(list[str], d.pop("products"))


        reason = d.pop("reason")

        schedule = EntitlementReadSchedule.from_dict(d.pop("schedule"))




        targets = EntitlementReadTargets.from_dict(d.pop("targets"))




        tier = EntitlementReadTier(d.pop("tier"))




        timezone = d.pop("timezone")

        def _parse_alert_severity_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alert_severity_label = _parse_alert_severity_label(d.pop("alert_severity_label", UNSET))


        def _parse_alert_severity_map(data: object) -> EntitlementReadAlertSeverityMapType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                alert_severity_map_type_0 = EntitlementReadAlertSeverityMapType0.from_dict(data)



                return alert_severity_map_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntitlementReadAlertSeverityMapType0 | None | Unset, data)

        alert_severity_map = _parse_alert_severity_map(d.pop("alert_severity_map", UNSET))


        def _parse_contact_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contact_id_type_0 = UUID(data)



                return contact_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        contact_id = _parse_contact_id(d.pop("contact_id", UNSET))


        entitlement_read = cls(
            at=at,
            calendar_version=calendar_version,
            contract_ends_on=contract_ends_on,
            contract_id=contract_id,
            customer_id=customer_id,
            customer_name=customer_name,
            customer_obligations=customer_obligations,
            dedicated_engineer=dedicated_engineer,
            dedicated_manager=dedicated_manager,
            features=features,
            max_open_tickets=max_open_tickets,
            policy=policy,
            policy_version=policy_version,
            priority=priority,
            products=products,
            reason=reason,
            schedule=schedule,
            targets=targets,
            tier=tier,
            timezone=timezone,
            alert_severity_label=alert_severity_label,
            alert_severity_map=alert_severity_map,
            contact_id=contact_id,
        )


        entitlement_read.additional_properties = d
        return entitlement_read

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
