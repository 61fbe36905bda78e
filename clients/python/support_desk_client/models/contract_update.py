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
  from ..models.contract_update_alert_severity_map_type_0 import ContractUpdateAlertSeverityMapType0
  from ..models.escalation_policy import EscalationPolicy
  from ..models.person import Person





T = TypeVar("T", bound="ContractUpdate")



@_attrs_define
class ContractUpdate:
    """ 
        Attributes:
            alert_severity_label (None | str | Unset):
            alert_severity_map (ContractUpdateAlertSeverityMapType0 | None | Unset):
            dedicated_engineer (None | Person | Unset):
            dedicated_manager (None | Person | Unset):
            ends_on (datetime.date | None | Unset):
            escalation_policy (EscalationPolicy | None | Unset):
     """

    alert_severity_label: None | str | Unset = UNSET
    alert_severity_map: ContractUpdateAlertSeverityMapType0 | None | Unset = UNSET
    dedicated_engineer: None | Person | Unset = UNSET
    dedicated_manager: None | Person | Unset = UNSET
    ends_on: datetime.date | None | Unset = UNSET
    escalation_policy: EscalationPolicy | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.contract_update_alert_severity_map_type_0 import ContractUpdateAlertSeverityMapType0 # noqa: PLC0415
        from ..models.escalation_policy import EscalationPolicy # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        alert_severity_label: None | str | Unset
        if isinstance(self.alert_severity_label, Unset):
            alert_severity_label = UNSET
        else:
            alert_severity_label = self.alert_severity_label

        alert_severity_map: dict[str, Any] | None | Unset
        if isinstance(self.alert_severity_map, Unset):
            alert_severity_map = UNSET
        elif isinstance(self.alert_severity_map, ContractUpdateAlertSeverityMapType0):
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

        ends_on: None | str | Unset
        if isinstance(self.ends_on, Unset):
            ends_on = UNSET
        elif isinstance(self.ends_on, datetime.date):
            ends_on = self.ends_on.isoformat()
        else:
            ends_on = self.ends_on

        escalation_policy: dict[str, Any] | None | Unset
        if isinstance(self.escalation_policy, Unset):
            escalation_policy = UNSET
        elif isinstance(self.escalation_policy, EscalationPolicy):
            escalation_policy = self.escalation_policy.to_dict()
        else:
            escalation_policy = self.escalation_policy


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if alert_severity_label is not UNSET:
            field_dict["alert_severity_label"] = alert_severity_label
        if alert_severity_map is not UNSET:
            field_dict["alert_severity_map"] = alert_severity_map
        if dedicated_engineer is not UNSET:
            field_dict["dedicated_engineer"] = dedicated_engineer
        if dedicated_manager is not UNSET:
            field_dict["dedicated_manager"] = dedicated_manager
        if ends_on is not UNSET:
            field_dict["ends_on"] = ends_on
        if escalation_policy is not UNSET:
            field_dict["escalation_policy"] = escalation_policy

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contract_update_alert_severity_map_type_0 import ContractUpdateAlertSeverityMapType0 # noqa: PLC0415
        from ..models.escalation_policy import EscalationPolicy # noqa: PLC0415
        from ..models.person import Person # noqa: PLC0415
        d = dict(src_dict)
        def _parse_alert_severity_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alert_severity_label = _parse_alert_severity_label(d.pop("alert_severity_label", UNSET))


        def _parse_alert_severity_map(data: object) -> ContractUpdateAlertSeverityMapType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                alert_severity_map_type_0 = ContractUpdateAlertSeverityMapType0.from_dict(data)



                return alert_severity_map_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContractUpdateAlertSeverityMapType0 | None | Unset, data)

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


        def _parse_ends_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_on_type_0 = datetime.date.fromisoformat(data)



                return ends_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        ends_on = _parse_ends_on(d.pop("ends_on", UNSET))


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


        contract_update = cls(
            alert_severity_label=alert_severity_label,
            alert_severity_map=alert_severity_map,
            dedicated_engineer=dedicated_engineer,
            dedicated_manager=dedicated_manager,
            ends_on=ends_on,
            escalation_policy=escalation_policy,
        )

        return contract_update

