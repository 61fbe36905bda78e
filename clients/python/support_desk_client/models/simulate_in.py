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
  from ..models.history_step_in import HistoryStepIn
  from ..models.simulate_in_policy_type_0 import SimulateInPolicyType0
  from ..models.simulate_in_schedule_type_0 import SimulateInScheduleType0





T = TypeVar("T", bound="SimulateIn")



@_attrs_define
class SimulateIn:
    """ A ticket history as data, run under a tier and a policy (the programme's if absent).

        Attributes:
            received_at (datetime.datetime):
            severity (Severity): How badly an incident hurts the customer, most urgent first.
            tier (Tier): A support tier of the programme, lowest first.
            as_of (datetime.datetime | None | Unset):
            history (list[HistoryStepIn] | Unset):
            policy (None | SimulateInPolicyType0 | Unset):
            schedule (None | SimulateInScheduleType0 | Unset):
     """

    received_at: datetime.datetime
    severity: Severity
    tier: Tier
    as_of: datetime.datetime | None | Unset = UNSET
    history: list[HistoryStepIn] | Unset = UNSET
    policy: None | SimulateInPolicyType0 | Unset = UNSET
    schedule: None | SimulateInScheduleType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.history_step_in import HistoryStepIn # noqa: PLC0415
        from ..models.simulate_in_policy_type_0 import SimulateInPolicyType0 # noqa: PLC0415
        from ..models.simulate_in_schedule_type_0 import SimulateInScheduleType0 # noqa: PLC0415
        received_at = self.received_at.isoformat()

        severity = self.severity.value

        tier = self.tier.value

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        elif isinstance(self.as_of, datetime.datetime):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        history: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.history, Unset):
            history = []
            for history_item_data in self.history:
                history_item = history_item_data.to_dict()
                history.append(history_item)



        policy: dict[str, Any] | None | Unset
        if isinstance(self.policy, Unset):
            policy = UNSET
        elif isinstance(self.policy, SimulateInPolicyType0):
            policy = self.policy.to_dict()
        else:
            policy = self.policy

        schedule: dict[str, Any] | None | Unset
        if isinstance(self.schedule, Unset):
            schedule = UNSET
        elif isinstance(self.schedule, SimulateInScheduleType0):
            schedule = self.schedule.to_dict()
        else:
            schedule = self.schedule


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "received_at": received_at,
            "severity": severity,
            "tier": tier,
        })
        if as_of is not UNSET:
            field_dict["as_of"] = as_of
        if history is not UNSET:
            field_dict["history"] = history
        if policy is not UNSET:
            field_dict["policy"] = policy
        if schedule is not UNSET:
            field_dict["schedule"] = schedule

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_step_in import HistoryStepIn # noqa: PLC0415
        from ..models.simulate_in_policy_type_0 import SimulateInPolicyType0 # noqa: PLC0415
        from ..models.simulate_in_schedule_type_0 import SimulateInScheduleType0 # noqa: PLC0415
        d = dict(src_dict)
        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))




        severity = Severity(d.pop("severity"))




        tier = Tier(d.pop("tier"))




        def _parse_as_of(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.datetime.fromisoformat(data)



                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))


        _history = d.pop("history", UNSET)
        history: list[HistoryStepIn] | Unset = UNSET
        if _history is not UNSET:
            history = []
            for history_item_data in _history:
                history_item = HistoryStepIn.from_dict(history_item_data)



                history.append(history_item)


        def _parse_policy(data: object) -> None | SimulateInPolicyType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_type_0 = SimulateInPolicyType0.from_dict(data)



                return policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SimulateInPolicyType0 | Unset, data)

        policy = _parse_policy(d.pop("policy", UNSET))


        def _parse_schedule(data: object) -> None | SimulateInScheduleType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schedule_type_0 = SimulateInScheduleType0.from_dict(data)



                return schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SimulateInScheduleType0 | Unset, data)

        schedule = _parse_schedule(d.pop("schedule", UNSET))


        simulate_in = cls(
            received_at=received_at,
            severity=severity,
            tier=tier,
            as_of=as_of,
            history=history,
            policy=policy,
            schedule=schedule,
        )

        return simulate_in

