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





T = TypeVar("T", bound="MaintenancePlanIn")



@_attrs_define
class MaintenancePlanIn:
    """ A plan as created or replaced (PUT): every field, defaults as in the rules.

        Attributes:
            frequency (Frequency): How often a plan's work recurs; the RRULE must say the same.
            rrule (str):
            starts_at (datetime.datetime):
            what (str):
            agreed_window (AgreedWindowIn | None | Unset):
            contact_id (None | Unset | UUID):
            lead (str | Unset):  Default: 'P1D'.
            outside_window (OutsideWindow | Unset): What becomes of an occurrence the rule puts outside the allowed time.
            timezone (None | str | Unset):
            window (WindowKind | Unset): Where the work may be done: in working time or in a window agreed with the
                customer.
     """

    frequency: Frequency
    rrule: str
    starts_at: datetime.datetime
    what: str
    agreed_window: AgreedWindowIn | None | Unset = UNSET
    contact_id: None | Unset | UUID = UNSET
    lead: str | Unset = 'P1D'
    outside_window: OutsideWindow | Unset = UNSET
    timezone: None | str | Unset = UNSET
    window: WindowKind | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.agreed_window_in import AgreedWindowIn # noqa: PLC0415
        frequency = self.frequency.value

        rrule = self.rrule

        starts_at = self.starts_at.isoformat()

        what = self.what

        agreed_window: dict[str, Any] | None | Unset
        if isinstance(self.agreed_window, Unset):
            agreed_window = UNSET
        elif isinstance(self.agreed_window, AgreedWindowIn):
            agreed_window = self.agreed_window.to_dict()
        else:
            agreed_window = self.agreed_window

        contact_id: None | str | Unset
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        elif isinstance(self.contact_id, UUID):
            contact_id = str(self.contact_id)
        else:
            contact_id = self.contact_id

        lead = self.lead

        outside_window: str | Unset = UNSET
        if not isinstance(self.outside_window, Unset):
            outside_window = self.outside_window.value


        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        window: str | Unset = UNSET
        if not isinstance(self.window, Unset):
            window = self.window.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "frequency": frequency,
            "rrule": rrule,
            "starts_at": starts_at,
            "what": what,
        })
        if agreed_window is not UNSET:
            field_dict["agreed_window"] = agreed_window
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id
        if lead is not UNSET:
            field_dict["lead"] = lead
        if outside_window is not UNSET:
            field_dict["outside_window"] = outside_window
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if window is not UNSET:
            field_dict["window"] = window

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreed_window_in import AgreedWindowIn # noqa: PLC0415
        d = dict(src_dict)
        frequency = Frequency(d.pop("frequency"))




        rrule = d.pop("rrule")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))




        what = d.pop("what")

        def _parse_agreed_window(data: object) -> AgreedWindowIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agreed_window_type_0 = AgreedWindowIn.from_dict(data)



                return agreed_window_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgreedWindowIn | None | Unset, data)

        agreed_window = _parse_agreed_window(d.pop("agreed_window", UNSET))


        def _parse_contact_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contact_id_type_0 = UUID(data)



                return contact_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        contact_id = _parse_contact_id(d.pop("contact_id", UNSET))


        lead = d.pop("lead", UNSET)

        _outside_window = d.pop("outside_window", UNSET)
        outside_window: OutsideWindow | Unset
        if isinstance(_outside_window,  Unset):
            outside_window = UNSET
        else:
            outside_window = OutsideWindow(_outside_window)




        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        _window = d.pop("window", UNSET)
        window: WindowKind | Unset
        if isinstance(_window,  Unset):
            window = UNSET
        else:
            window = WindowKind(_window)




        maintenance_plan_in = cls(
            frequency=frequency,
            rrule=rrule,
            starts_at=starts_at,
            what=what,
            agreed_window=agreed_window,
            contact_id=contact_id,
            lead=lead,
            outside_window=outside_window,
            timezone=timezone,
            window=window,
        )

        return maintenance_plan_in

