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
  from ..models.policy_document_schedules import PolicyDocumentSchedules
  from ..models.policy_document_severity_caps import PolicyDocumentSeverityCaps
  from ..models.policy_document_targets import PolicyDocumentTargets





T = TypeVar("T", bound="PolicyDocument")



@_attrs_define
class PolicyDocument:
    """ A versioned SLA policy: a schedule per tier, targets per tier and severity.

        Attributes:
            schedules (PolicyDocumentSchedules):
            targets (PolicyDocumentTargets):
            version (str):
            critical_resolution_starts (CriticalResolutionStart | Unset): When a critical ticket's resolution clock starts,
                chosen per contract.
            severity_caps (PolicyDocumentSeverityCaps | Unset):
            warning_percents (list[int] | Unset):
     """

    schedules: PolicyDocumentSchedules
    targets: PolicyDocumentTargets
    version: str
    critical_resolution_starts: CriticalResolutionStart | Unset = UNSET
    severity_caps: PolicyDocumentSeverityCaps | Unset = UNSET
    warning_percents: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.policy_document_schedules import PolicyDocumentSchedules # noqa: PLC0415
        from ..models.policy_document_severity_caps import PolicyDocumentSeverityCaps # noqa: PLC0415
        from ..models.policy_document_targets import PolicyDocumentTargets # noqa: PLC0415
        schedules = self.schedules.to_dict()

        targets = self.targets.to_dict()

        version = self.version

        critical_resolution_starts: str | Unset = UNSET
        if not isinstance(self.critical_resolution_starts, Unset):
            critical_resolution_starts = self.critical_resolution_starts.value


        severity_caps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.severity_caps, Unset):
            severity_caps = self.severity_caps.to_dict()

        warning_percents: list[int] | Unset = UNSET
        if not isinstance(self.warning_percents, Unset):
            warning_percents = self.warning_percents




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "schedules": schedules,
            "targets": targets,
            "version": version,
        })
        if critical_resolution_starts is not UNSET:
            field_dict["critical_resolution_starts"] = critical_resolution_starts
        if severity_caps is not UNSET:
            field_dict["severity_caps"] = severity_caps
        if warning_percents is not UNSET:
            field_dict["warning_percents"] = warning_percents

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_document_schedules import PolicyDocumentSchedules # noqa: PLC0415
        from ..models.policy_document_severity_caps import PolicyDocumentSeverityCaps # noqa: PLC0415
        from ..models.policy_document_targets import PolicyDocumentTargets # noqa: PLC0415
        d = dict(src_dict)
        schedules = PolicyDocumentSchedules.from_dict(d.pop("schedules"))




        targets = PolicyDocumentTargets.from_dict(d.pop("targets"))




        version = d.pop("version")

        _critical_resolution_starts = d.pop("critical_resolution_starts", UNSET)
        critical_resolution_starts: CriticalResolutionStart | Unset
        if isinstance(_critical_resolution_starts,  Unset):
            critical_resolution_starts = UNSET
        else:
            critical_resolution_starts = CriticalResolutionStart(_critical_resolution_starts)




        _severity_caps = d.pop("severity_caps", UNSET)
        severity_caps: PolicyDocumentSeverityCaps | Unset
        if isinstance(_severity_caps,  Unset):
            severity_caps = UNSET
        else:
            severity_caps = PolicyDocumentSeverityCaps.from_dict(_severity_caps)




        warning_percents = cast(list[int], d.pop("warning_percents", UNSET))


        policy_document = cls(
            schedules=schedules,
            targets=targets,
            version=version,
            critical_resolution_starts=critical_resolution_starts,
            severity_caps=severity_caps,
            warning_percents=warning_percents,
        )


        policy_document.additional_properties = d
        return policy_document

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
