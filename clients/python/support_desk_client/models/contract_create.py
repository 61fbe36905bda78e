from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.contract_create_alert_severity_map_type_0 import ContractCreateAlertSeverityMapType0
  from ..models.contract_policy_in import ContractPolicyIn
  from ..models.escalation_policy import EscalationPolicy
  from ..models.person import Person





T = TypeVar("T", bound="ContractCreate")



@_attrs_define
class ContractCreate:
    """ 
        Attributes:
            ends_on (datetime.date):
            starts_on (datetime.date):
            tier (str):
            alert_severity_label (None | str | Unset):
            alert_severity_map (ContractCreateAlertSeverityMapType0 | None | Unset):
            dedicated_engineer (None | Person | Unset):
            dedicated_manager (None | Person | Unset):
            escalation_policy (EscalationPolicy | None | Unset):
            policy (ContractPolicyIn | None | Unset):
            shortened_pre_holidays (bool | Unset):  Default: False.
     """

    ends_on: datetime.date
    starts_on: datetime.date
    tier: str
    alert_severity_label: None | str | Unset = UNSET
    alert_severity_map: ContractCreateAlertSeverityMapType0 | None | Unset = UNSET
    dedicated_engineer: None | Person | Unset = UNSET
    dedicated_manager: None | Person | Unset = UNSET
    escalation_policy: EscalationPolicy | None | Unset = UNSET
    policy: ContractPolicyIn | None | Unset = UNSET
    shortened_pre_holidays: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.contract_create_alert_severity_map_type_0 import ContractCreateAlertSeverityMapType0 # noqa: PLC0415
        from ..models.contract_policy_in import ContractPolicyIn # noqa: PLC0415
        from ..models.escalation_policy import EscalationPolicy # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        ends_on = self.ends_on.isoformat()

        starts_on = self.starts_on.isoformat()

        tier = self.tier

        alert_severity_label: None | str | Unset
        if isinstance(self.alert_severity_label, Unset):
            alert_severity_label = UNSET
        else:
            alert_severity_label = self.alert_severity_label

        alert_severity_map: dict[str, Any] | None | Unset
        if isinstance(self.alert_severity_map, Unset):
            alert_severity_map = UNSET
        elif isinstance(self.alert_severity_map, ContractCreateAlertSeverityMapType0):
            alert_severity_map = self.alert_severity_map.to_dict()
        else:
            alert_severity_map = self.alert_severity_map

        dedicated_engineer: dict[str, Any] | None | Unset
        if isinstance(self.dedicated_engineer, Unset):
            dedicated_engineer = UNSET
        elif isinstance(self.dedicated_engineer, Person):
            dedicated_engineer = self.dedicated_engineer.to_dict()
        else:
            dedicated_engineer = self.dedicated_engineer

        dedicated_manager: dict[str, Any] | None | Unset
        if isinstance(self.dedicated_manager, Unset):
            dedicated_manager = UNSET
        elif isinstance(self.dedicated_manager, Person):
            dedicated_manager = self.dedicated_manager.to_dict()
        else:
            dedicated_manager = self.dedicated_manager

        escalation_policy: dict[str, Any] | None | Unset
        if isinstance(self.escalation_policy, Unset):
            escalation_policy = UNSET
        elif isinstance(self.escalation_policy, EscalationPolicy):
            escalation_policy = self.escalation_policy.to_dict()
        else:
            escalation_policy = self.escalation_policy

        policy: dict[str, Any] | None | Unset
        if isinstance(self.policy, Unset):
            policy = UNSET
        elif isinstance(self.policy, ContractPolicyIn):
            policy = self.policy.to_dict()
        else:
            policy = self.policy

        shortened_pre_holidays = self.shortened_pre_holidays


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "ends_on": ends_on,
            "starts_on": starts_on,
            "tier": tier,
        })
        if alert_severity_label is not UNSET:
            field_dict["alert_severity_label"] = alert_severity_label
        if alert_severity_map is not UNSET:
            field_dict["alert_severity_map"] = alert_severity_map
        if dedicated_engineer is not UNSET:
            field_dict["dedicated_engineer"] = dedicated_engineer
        if dedicated_manager is not UNSET:
            field_dict["dedicated_manager"] = dedicated_manager
        if escalation_policy is not UNSET:
            field_dict["escalation_policy"] = escalation_policy
        if policy is not UNSET:
            field_dict["policy"] = policy
        if shortened_pre_holidays is not UNSET:
            field_dict["shortened_pre_holidays"] = shortened_pre_holidays

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contract_create_alert_severity_map_type_0 import ContractCreateAlertSeverityMapType0 # noqa: PLC0415
        from ..models.contract_policy_in import ContractPolicyIn # noqa: PLC0415
        from ..models.escalation_policy import EscalationPolicy # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        d = dict(src_dict)
        ends_on = datetime.date.fromisoformat(d.pop("ends_on"))




        starts_on = datetime.date.fromisoformat(d.pop("starts_on"))




        tier = d.pop("tier")

        def _parse_alert_severity_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alert_severity_label = _parse_alert_severity_label(d.pop("alert_severity_label", UNSET))


        def _parse_alert_severity_map(data: object) -> ContractCreateAlertSeverityMapType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                alert_severity_map_type_0 = ContractCreateAlertSeverityMapType0.from_dict(data)



                return alert_severity_map_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContractCreateAlertSeverityMapType0 | None | Unset, data)

        alert_severity_map = _parse_alert_severity_map(d.pop("alert_severity_map", UNSET))


        def _parse_dedicated_engineer(data: object) -> None | Person | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedicated_engineer_type_0 = Person.from_dict(data)



                return dedicated_engineer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Person | Unset, data)

        dedicated_engineer = _parse_dedicated_engineer(d.pop("dedicated_engineer", UNSET))


        def _parse_dedicated_manager(data: object) -> None | Person | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedicated_manager_type_0 = Person.from_dict(data)



                return dedicated_manager_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Person | Unset, data)

        dedicated_manager = _parse_dedicated_manager(d.pop("dedicated_manager", UNSET))


        def _parse_escalation_policy(data: object) -> EscalationPolicy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                escalation_policy_type_0 = EscalationPolicy.from_dict(data)



                return escalation_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EscalationPolicy | None | Unset, data)

        escalation_policy = _parse_escalation_policy(d.pop("escalation_policy", UNSET))


        def _parse_policy(data: object) -> ContractPolicyIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_type_0 = ContractPolicyIn.from_dict(data)



                return policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContractPolicyIn | None | Unset, data)

        policy = _parse_policy(d.pop("policy", UNSET))


        shortened_pre_holidays = d.pop("shortened_pre_holidays", UNSET)

        contract_create = cls(
            ends_on=ends_on,
            starts_on=starts_on,
            tier=tier,
            alert_severity_label=alert_severity_label,
            alert_severity_map=alert_severity_map,
            dedicated_engineer=dedicated_engineer,
            dedicated_manager=dedicated_manager,
            escalation_policy=escalation_policy,
            policy=policy,
            shortened_pre_holidays=shortened_pre_holidays,
        )

        return contract_create

