from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.contract_read_status import ContractReadStatus
from ..models.contract_read_tier import ContractReadTier
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.contract_read_alert_severity_map_type_0 import ContractReadAlertSeverityMapType0
  from ..models.contract_read_escalation_policy_type_0 import ContractReadEscalationPolicyType0
  from ..models.person import Person





T = TypeVar("T", bound="ContractRead")



@_attrs_define
class ContractRead:
    """ 
        Attributes:
            created_at (datetime.datetime):
            customer_id (UUID):
            dedicated_engineer (None | Person):
            dedicated_manager (None | Person):
            ends_at (datetime.datetime):
            ends_on (datetime.date):
            expiry_announced_at (datetime.datetime | None):
            id (UUID):
            policy_version (str):
            shortened_pre_holidays (bool):
            starts_at (datetime.datetime):
            starts_on (datetime.date):
            status (ContractReadStatus):
            tier (ContractReadTier):
            alert_severity_label (None | str | Unset):
            alert_severity_map (ContractReadAlertSeverityMapType0 | None | Unset):
            escalation_policy (ContractReadEscalationPolicyType0 | None | Unset):
     """

    created_at: datetime.datetime
    customer_id: UUID
    dedicated_engineer: None | Person
    dedicated_manager: None | Person
    ends_at: datetime.datetime
    ends_on: datetime.date
    expiry_announced_at: datetime.datetime | None
    id: UUID
    policy_version: str
    shortened_pre_holidays: bool
    starts_at: datetime.datetime
    starts_on: datetime.date
    status: ContractReadStatus
    tier: ContractReadTier
    alert_severity_label: None | str | Unset = UNSET
    alert_severity_map: ContractReadAlertSeverityMapType0 | None | Unset = UNSET
    escalation_policy: ContractReadEscalationPolicyType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.contract_read_alert_severity_map_type_0 import ContractReadAlertSeverityMapType0 # noqa: PLC0415
        from ..models.contract_read_escalation_policy_type_0 import ContractReadEscalationPolicyType0 # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        created_at = self.created_at.isoformat()

        customer_id = str(self.customer_id)

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

        ends_at = self.ends_at.isoformat()

        ends_on = self.ends_on.isoformat()

        expiry_announced_at: None | str
        if isinstance(self.expiry_announced_at, datetime.datetime):
            expiry_announced_at = self.expiry_announced_at.isoformat()
        else:
            expiry_announced_at = self.expiry_announced_at

        id = str(self.id)

        policy_version = self.policy_version

        shortened_pre_holidays = self.shortened_pre_holidays

        starts_at = self.starts_at.isoformat()

        starts_on = self.starts_on.isoformat()

        status = self.status.value

        tier = self.tier.value

        alert_severity_label: None | str | Unset
        if isinstance(self.alert_severity_label, Unset):
            alert_severity_label = UNSET
        else:
            alert_severity_label = self.alert_severity_label

        alert_severity_map: dict[str, Any] | None | Unset
        if isinstance(self.alert_severity_map, Unset):
            alert_severity_map = UNSET
        elif isinstance(self.alert_severity_map, ContractReadAlertSeverityMapType0):
            alert_severity_map = self.alert_severity_map.to_dict()
        else:
            alert_severity_map = self.alert_severity_map

        escalation_policy: dict[str, Any] | None | Unset
        if isinstance(self.escalation_policy, Unset):
            escalation_policy = UNSET
        elif isinstance(self.escalation_policy, ContractReadEscalationPolicyType0):
            escalation_policy = self.escalation_policy.to_dict()
        else:
            escalation_policy = self.escalation_policy


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "customer_id": customer_id,
            "dedicated_engineer": dedicated_engineer,
            "dedicated_manager": dedicated_manager,
            "ends_at": ends_at,
            "ends_on": ends_on,
            "expiry_announced_at": expiry_announced_at,
            "id": id,
            "policy_version": policy_version,
            "shortened_pre_holidays": shortened_pre_holidays,
            "starts_at": starts_at,
            "starts_on": starts_on,
            "status": status,
            "tier": tier,
        })
        if alert_severity_label is not UNSET:
            field_dict["alert_severity_label"] = alert_severity_label
        if alert_severity_map is not UNSET:
            field_dict["alert_severity_map"] = alert_severity_map
        if escalation_policy is not UNSET:
            field_dict["escalation_policy"] = escalation_policy

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contract_read_alert_severity_map_type_0 import ContractReadAlertSeverityMapType0 # noqa: PLC0415
        from ..models.contract_read_escalation_policy_type_0 import ContractReadEscalationPolicyType0 # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        customer_id = UUID(d.pop("customer_id"))




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


        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))




        ends_on = datetime.date.fromisoformat(d.pop("ends_on"))




        def _parse_expiry_announced_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expiry_announced_at_type_0 = datetime.datetime.fromisoformat(data)



                return expiry_announced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expiry_announced_at = _parse_expiry_announced_at(d.pop("expiry_announced_at"))


        id = UUID(d.pop("id"))




        policy_version = d.pop("policy_version")

        shortened_pre_holidays = d.pop("shortened_pre_holidays")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))




        starts_on = datetime.date.fromisoformat(d.pop("starts_on"))




        status = ContractReadStatus(d.pop("status"))




        tier = ContractReadTier(d.pop("tier"))




        def _parse_alert_severity_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alert_severity_label = _parse_alert_severity_label(d.pop("alert_severity_label", UNSET))


        def _parse_alert_severity_map(data: object) -> ContractReadAlertSeverityMapType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                alert_severity_map_type_0 = ContractReadAlertSeverityMapType0.from_dict(data)



                return alert_severity_map_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContractReadAlertSeverityMapType0 | None | Unset, data)

        alert_severity_map = _parse_alert_severity_map(d.pop("alert_severity_map", UNSET))


        def _parse_escalation_policy(data: object) -> ContractReadEscalationPolicyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                escalation_policy_type_0 = ContractReadEscalationPolicyType0.from_dict(data)



                return escalation_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContractReadEscalationPolicyType0 | None | Unset, data)

        escalation_policy = _parse_escalation_policy(d.pop("escalation_policy", UNSET))


        contract_read = cls(
            created_at=created_at,
            customer_id=customer_id,
            dedicated_engineer=dedicated_engineer,
            dedicated_manager=dedicated_manager,
            ends_at=ends_at,
            ends_on=ends_on,
            expiry_announced_at=expiry_announced_at,
            id=id,
            policy_version=policy_version,
            shortened_pre_holidays=shortened_pre_holidays,
            starts_at=starts_at,
            starts_on=starts_on,
            status=status,
            tier=tier,
            alert_severity_label=alert_severity_label,
            alert_severity_map=alert_severity_map,
            escalation_policy=escalation_policy,
        )


        contract_read.additional_properties = d
        return contract_read

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
