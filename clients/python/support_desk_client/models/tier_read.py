from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tier_read_tier import TierReadTier
from typing import cast

if TYPE_CHECKING:
  from ..models.tier_read_features import TierReadFeatures
  from ..models.tier_read_schedule import TierReadSchedule
  from ..models.tier_read_targets import TierReadTargets





T = TypeVar("T", bound="TierRead")



@_attrs_define
class TierRead:
    """ 
        Attributes:
            critical_incidents_schedule (None | str):
            customer_obligations (list[str]):
            features (TierReadFeatures):
            max_open_tickets (int | None):
            needs_contract (bool):
            period (str):
            price (str):
            priority (int):
            schedule (TierReadSchedule):
            targets (TierReadTargets):
            tier (TierReadTier):
     """

    critical_incidents_schedule: None | str
    customer_obligations: list[str]
    features: TierReadFeatures
    max_open_tickets: int | None
    needs_contract: bool
    period: str
    price: str
    priority: int
    schedule: TierReadSchedule
    targets: TierReadTargets
    tier: TierReadTier
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.tier_read_features import TierReadFeatures # noqa: PLC0415
        from ..models.tier_read_schedule import TierReadSchedule # noqa: PLC0415
        from ..models.tier_read_targets import TierReadTargets # noqa: PLC0415
        critical_incidents_schedule: None | str
        critical_incidents_schedule = self.critical_incidents_schedule

        customer_obligations = self.customer_obligations



        features = self.features.to_dict()

        max_open_tickets: int | None
        max_open_tickets = self.max_open_tickets

        needs_contract = self.needs_contract

        period = self.period

        price = self.price

        priority = self.priority

        schedule = self.schedule.to_dict()

        targets = self.targets.to_dict()

        tier = self.tier.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "critical_incidents_schedule": critical_incidents_schedule,
            "customer_obligations": customer_obligations,
            "features": features,
            "max_open_tickets": max_open_tickets,
            "needs_contract": needs_contract,
            "period": period,
            "price": price,
            "priority": priority,
            "schedule": schedule,
            "targets": targets,
            "tier": tier,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_read_features import TierReadFeatures # noqa: PLC0415
        from ..models.tier_read_schedule import TierReadSchedule # noqa: PLC0415
        from ..models.tier_read_targets import TierReadTargets # noqa: PLC0415
        d = dict(src_dict)
        def _parse_critical_incidents_schedule(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        critical_incidents_schedule = _parse_critical_incidents_schedule(d.pop("critical_incidents_schedule"))


        customer_obligations = cast(list[str], d.pop("customer_obligations"))


        features = TierReadFeatures.from_dict(d.pop("features"))




        def _parse_max_open_tickets(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_open_tickets = _parse_max_open_tickets(d.pop("max_open_tickets"))


        needs_contract = d.pop("needs_contract")

        period = d.pop("period")

        price = d.pop("price")

        priority = d.pop("priority")

        schedule = TierReadSchedule.from_dict(d.pop("schedule"))




        targets = TierReadTargets.from_dict(d.pop("targets"))




        tier = TierReadTier(d.pop("tier"))




        tier_read = cls(
            critical_incidents_schedule=critical_incidents_schedule,
            customer_obligations=customer_obligations,
            features=features,
            max_open_tickets=max_open_tickets,
            needs_contract=needs_contract,
            period=period,
            price=price,
            priority=priority,
            schedule=schedule,
            targets=targets,
            tier=tier,
        )


        tier_read.additional_properties = d
        return tier_read

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
