from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.frequency import Frequency
from ..models.outside_window import OutsideWindow
from ..models.window_kind import WindowKind
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.agreed_window_in import AgreedWindowIn
  from ..models.occurrence_read import OccurrenceRead





T = TypeVar("T", bound="MaintenancePlanRead")



@_attrs_define
class MaintenancePlanRead:
    """ A plan with its next occurrences.

        Attributes:
            agreed_window (AgreedWindowIn | None):
            contact_id (None | UUID):
            contract_id (None | UUID):
            created_at (datetime.datetime):
            customer_id (UUID):
            frequency (Frequency): How often a plan's work recurs; the RRULE must say the same.
            id (UUID):
            lead (str):
            outside_window (OutsideWindow): What becomes of an occurrence the rule puts outside the allowed time.
            rrule (str):
            starts_at (datetime.datetime):
            timezone (str):
            updated_at (datetime.datetime):
            what (str):
            window (WindowKind): Where the work may be done: in working time or in a window agreed with the customer.
            next_occurrences (list[OccurrenceRead] | Unset):
     """

    agreed_window: AgreedWindowIn | None
    contact_id: None | UUID
    contract_id: None | UUID
    created_at: datetime.datetime
    customer_id: UUID
    frequency: Frequency
    id: UUID
    lead: str
    outside_window: OutsideWindow
    rrule: str
    starts_at: datetime.datetime
    timezone: str
    updated_at: datetime.datetime
    what: str
    window: WindowKind
    next_occurrences: list[OccurrenceRead] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.agreed_window_in import AgreedWindowIn # noqa: PLC0415
        from ..models.occurrence_read import OccurrenceRead # noqa: PLC0415
        agreed_window: dict[str, Any] | None
        if isinstance(self.agreed_window, AgreedWindowIn):
            agreed_window = self.agreed_window.to_dict()
        else:
            agreed_window = self.agreed_window

        contact_id: None | str
        if isinstance(self.contact_id, UUID):
            contact_id = str(self.contact_id)
        else:
            contact_id = self.contact_id

        contract_id: None | str
        if isinstance(self.contract_id, UUID):
            contract_id = str(self.contract_id)
        else:
            contract_id = self.contract_id

        created_at = self.created_at.isoformat()

        customer_id = str(self.customer_id)

        frequency = self.frequency.value

        id = str(self.id)

        lead = self.lead

        outside_window = self.outside_window.value

        rrule = self.rrule

        starts_at = self.starts_at.isoformat()

        timezone = self.timezone

        updated_at = self.updated_at.isoformat()

        what = self.what

        window = self.window.value

        next_occurrences: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.next_occurrences, Unset):
            next_occurrences = []
            for next_occurrences_item_data in self.next_occurrences:
                next_occurrences_item = next_occurrences_item_data.to_dict()
                next_occurrences.append(next_occurrences_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agreed_window": agreed_window,
            "contact_id": contact_id,
            "contract_id": contract_id,
            "created_at": created_at,
            "customer_id": customer_id,
            "frequency": frequency,
            "id": id,
            "lead": lead,
            "outside_window": outside_window,
            "rrule": rrule,
            "starts_at": starts_at,
            "timezone": timezone,
            "updated_at": updated_at,
            "what": what,
            "window": window,
        })
        if next_occurrences is not UNSET:
            field_dict["next_occurrences"] = next_occurrences

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreed_window_in import AgreedWindowIn # noqa: PLC0415
        from ..models.occurrence_read import OccurrenceRead # noqa: PLC0415
        d = dict(src_dict)
        def _parse_agreed_window(data: object) -> AgreedWindowIn | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agreed_window_type_0 = AgreedWindowIn.from_dict(data)



                return agreed_window_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgreedWindowIn | None, data)

        agreed_window = _parse_agreed_window(d.pop("agreed_window"))


        def _parse_contact_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contact_id_type_0 = UUID(data)



                return contact_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        contact_id = _parse_contact_id(d.pop("contact_id"))


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


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        customer_id = UUID(d.pop("customer_id"))




        frequency = Frequency(d.pop("frequency"))




        id = UUID(d.pop("id"))




        lead = d.pop("lead")

        outside_window = OutsideWindow(d.pop("outside_window"))




        rrule = d.pop("rrule")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))




        timezone = d.pop("timezone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        what = d.pop("what")

        window = WindowKind(d.pop("window"))




        _next_occurrences = d.pop("next_occurrences", UNSET)
        next_occurrences: list[OccurrenceRead] | Unset = UNSET
        if _next_occurrences is not UNSET:
            next_occurrences = []
            for next_occurrences_item_data in _next_occurrences:
                next_occurrences_item = OccurrenceRead.from_dict(next_occurrences_item_data)



                next_occurrences.append(next_occurrences_item)


        maintenance_plan_read = cls(
            agreed_window=agreed_window,
            contact_id=contact_id,
            contract_id=contract_id,
            created_at=created_at,
            customer_id=customer_id,
            frequency=frequency,
            id=id,
            lead=lead,
            outside_window=outside_window,
            rrule=rrule,
            starts_at=starts_at,
            timezone=timezone,
            updated_at=updated_at,
            what=what,
            window=window,
            next_occurrences=next_occurrences,
        )


        maintenance_plan_read.additional_properties = d
        return maintenance_plan_read

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
