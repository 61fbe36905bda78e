from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.severity import Severity
from ..models.tier import Tier
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.pause_in import PauseIn
  from ..models.preview_in_policy_type_0 import PreviewInPolicyType0





T = TypeVar("T", bound="PreviewIn")



@_attrs_define
class PreviewIn:
    """ What a ticket's deadlines would be: tier, severity, receipt instant, pauses.

        Attributes:
            received_at (datetime.datetime):
            severity (Severity): How badly an incident hurts the customer, most urgent first.
            tier (Tier): A support tier of the programme, lowest first.
            pauses (list[PauseIn] | Unset):
            policy (None | PreviewInPolicyType0 | Unset):
     """

    received_at: datetime.datetime
    severity: Severity
    tier: Tier
    pauses: list[PauseIn] | Unset = UNSET
    policy: None | PreviewInPolicyType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.pause_in import PauseIn # noqa: PLC0415
        from ..models.preview_in_policy_type_0 import PreviewInPolicyType0 # noqa: PLC0415
        received_at = self.received_at.isoformat()

        severity = self.severity.value

        tier = self.tier.value

        pauses: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.pauses, Unset):
            pauses = []
            for pauses_item_data in self.pauses:
                pauses_item = pauses_item_data.to_dict()
                pauses.append(pauses_item)



        policy: dict[str, Any] | None | Unset
        if isinstance(self.policy, Unset):
            policy = UNSET
        elif isinstance(self.policy, PreviewInPolicyType0):
            policy = self.policy.to_dict()
        else:
            policy = self.policy


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "received_at": received_at,
            "severity": severity,
            "tier": tier,
        })
        if pauses is not UNSET:
            field_dict["pauses"] = pauses
        if policy is not UNSET:
            field_dict["policy"] = policy

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pause_in import PauseIn # noqa: PLC0415
        from ..models.preview_in_policy_type_0 import PreviewInPolicyType0 # noqa: PLC0415
        d = dict(src_dict)
        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))




        severity = Severity(d.pop("severity"))




        tier = Tier(d.pop("tier"))




        _pauses = d.pop("pauses", UNSET)
        pauses: list[PauseIn] | Unset = UNSET
        if _pauses is not UNSET:
            pauses = []
            for pauses_item_data in _pauses:
                pauses_item = PauseIn.from_dict(pauses_item_data)



                pauses.append(pauses_item)


        def _parse_policy(data: object) -> None | PreviewInPolicyType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_type_0 = PreviewInPolicyType0.from_dict(data)



                return policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreviewInPolicyType0 | Unset, data)

        policy = _parse_policy(d.pop("policy", UNSET))


        preview_in = cls(
            received_at=received_at,
            severity=severity,
            tier=tier,
            pauses=pauses,
            policy=policy,
        )

        return preview_in

