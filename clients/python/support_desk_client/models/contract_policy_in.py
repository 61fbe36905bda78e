from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.critical_resolution_start import CriticalResolutionStart
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.contract_policy_in_targets import ContractPolicyInTargets
  from ..models.schedule_in import ScheduleIn





T = TypeVar("T", bound="ContractPolicyIn")



@_attrs_define
class ContractPolicyIn:
    """ Terms "determined by the support contract": other targets and/or other hours.

        Attributes:
            critical_resolution_starts (CriticalResolutionStart | None | Unset):
            schedule (None | ScheduleIn | Unset):
            targets (ContractPolicyInTargets | Unset):
            warning_percents (list[int] | None | Unset):
     """

    critical_resolution_starts: CriticalResolutionStart | None | Unset = UNSET
    schedule: None | ScheduleIn | Unset = UNSET
    targets: ContractPolicyInTargets | Unset = UNSET
    warning_percents: list[int] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.contract_policy_in_targets import ContractPolicyInTargets # noqa: PLC0415
        from ..models.schedule_in import ScheduleIn # noqa: PLC0415
        critical_resolution_starts: None | str | Unset
        if isinstance(self.critical_resolution_starts, Unset):
            critical_resolution_starts = UNSET
        elif isinstance(self.critical_resolution_starts, CriticalResolutionStart):
            critical_resolution_starts = self.critical_resolution_starts.value
        else:
            critical_resolution_starts = self.critical_resolution_starts

        schedule: dict[str, Any] | None | Unset
        if isinstance(self.schedule, Unset):
            schedule = UNSET
        elif isinstance(self.schedule, ScheduleIn):
            schedule = self.schedule.to_dict()
        else:
            schedule = self.schedule

        targets: dict[str, Any] | Unset = UNSET
        if not isinstance(self.targets, Unset):
            targets = self.targets.to_dict()

        warning_percents: list[int] | None | Unset
        if isinstance(self.warning_percents, Unset):
            warning_percents = UNSET
        elif isinstance(self.warning_percents, list):
            warning_percents = self.warning_percents


        else:
            warning_percents = self.warning_percents


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if critical_resolution_starts is not UNSET:
            field_dict["critical_resolution_starts"] = critical_resolution_starts
        if schedule is not UNSET:
            field_dict["schedule"] = schedule
        if targets is not UNSET:
            field_dict["targets"] = targets
        if warning_percents is not UNSET:
            field_dict["warning_percents"] = warning_percents

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contract_policy_in_targets import ContractPolicyInTargets # noqa: PLC0415
        from ..models.schedule_in import ScheduleIn # noqa: PLC0415
        d = dict(src_dict)
        def _parse_critical_resolution_starts(data: object) -> CriticalResolutionStart | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                critical_resolution_starts_type_0 = CriticalResolutionStart(data)



                return critical_resolution_starts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CriticalResolutionStart | None | Unset, data)

        critical_resolution_starts = _parse_critical_resolution_starts(d.pop("critical_resolution_starts", UNSET))


        def _parse_schedule(data: object) -> None | ScheduleIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schedule_type_0 = ScheduleIn.from_dict(data)



                return schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScheduleIn | Unset, data)

        schedule = _parse_schedule(d.pop("schedule", UNSET))


        _targets = d.pop("targets", UNSET)
        targets: ContractPolicyInTargets | Unset
        if isinstance(_targets,  Unset):
            targets = UNSET
        else:
            targets = ContractPolicyInTargets.from_dict(_targets)




        def _parse_warning_percents(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                warning_percents_type_0 = cast(list[int], data)

                return warning_percents_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        warning_percents = _parse_warning_percents(d.pop("warning_percents", UNSET))


        contract_policy_in = cls(
            critical_resolution_starts=critical_resolution_starts,
            schedule=schedule,
            targets=targets,
            warning_percents=warning_percents,
        )

        return contract_policy_in

