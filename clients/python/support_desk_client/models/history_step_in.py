from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.history_step_in_kind import HistoryStepInKind
from ..models.severity import Severity
from ..models.tier import Tier
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.history_step_in_policy_type_0 import HistoryStepInPolicyType0





T = TypeVar("T", bound="HistoryStepIn")



@_attrs_define
class HistoryStepIn:
    """ One step of a simulated ticket's life after its receipt, at an instant.

        Attributes:
            at (datetime.datetime):
            kind (HistoryStepInKind):
            action (None | str | Unset):
            policy (HistoryStepInPolicyType0 | None | Unset):
            reason (None | str | Unset):
            severity (None | Severity | Unset):
            tier (None | Tier | Unset):
     """

    at: datetime.datetime
    kind: HistoryStepInKind
    action: None | str | Unset = UNSET
    policy: HistoryStepInPolicyType0 | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    severity: None | Severity | Unset = UNSET
    tier: None | Tier | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.history_step_in_policy_type_0 import HistoryStepInPolicyType0 # noqa: PLC0415
        at = self.at.isoformat()

        kind = self.kind.value

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        policy: dict[str, Any] | None | Unset
        if isinstance(self.policy, Unset):
            policy = UNSET
        elif isinstance(self.policy, HistoryStepInPolicyType0):
            policy = self.policy.to_dict()
        else:
            policy = self.policy

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        severity: None | str | Unset
        if isinstance(self.severity, Unset):
            severity = UNSET
        elif isinstance(self.severity, Severity):
            severity = self.severity.value
        else:
            severity = self.severity

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, Tier):
            tier = self.tier.value
        else:
            tier = self.tier


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "at": at,
            "kind": kind,
        })
        if action is not UNSET:
            field_dict["action"] = action
        if policy is not UNSET:
            field_dict["policy"] = policy
        if reason is not UNSET:
            field_dict["reason"] = reason
        if severity is not UNSET:
            field_dict["severity"] = severity
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_step_in_policy_type_0 import HistoryStepInPolicyType0 # noqa: PLC0415
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        kind = HistoryStepInKind(d.pop("kind"))




        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        def _parse_policy(data: object) -> HistoryStepInPolicyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_type_0 = HistoryStepInPolicyType0.from_dict(data)



                return policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HistoryStepInPolicyType0 | None | Unset, data)

        policy = _parse_policy(d.pop("policy", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_severity(data: object) -> None | Severity | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                severity_type_0 = Severity(data)



                return severity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Severity | Unset, data)

        severity = _parse_severity(d.pop("severity", UNSET))


        def _parse_tier(data: object) -> None | Tier | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tier_type_0 = Tier(data)



                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tier | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))


        history_step_in = cls(
            at=at,
            kind=kind,
            action=action,
            policy=policy,
            reason=reason,
            severity=severity,
            tier=tier,
        )

        return history_step_in

