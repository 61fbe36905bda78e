from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.schedule_in_kind import ScheduleInKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ScheduleIn")



@_attrs_define
class ScheduleIn:
    """ A schedule for a contract's own policy; absent fields keep the rules' defaults.

        Attributes:
            kind (ScheduleInKind):
            breaks (list[list[str]] | None | Unset):
            closes (None | str | Unset):
            country (None | str | Unset):
            opens (None | str | Unset):
            timezone (None | str | Unset):
            weekdays (list[int] | None | Unset):
     """

    kind: ScheduleInKind
    breaks: list[list[str]] | None | Unset = UNSET
    closes: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    opens: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET
    weekdays: list[int] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        breaks: list[list[str]] | None | Unset
        if isinstance(self.breaks, Unset):
            breaks = UNSET
        elif isinstance(self.breaks, list):
            breaks = []
            for breaks_type_0_item_data in self.breaks:
                breaks_type_0_item = []
                for breaks_type_0_item_item_data in breaks_type_0_item_data:
                    breaks_type_0_item_item: str
                    breaks_type_0_item_item = breaks_type_0_item_item_data
                    breaks_type_0_item.append(breaks_type_0_item_item)


                breaks.append(breaks_type_0_item)


        else:
            breaks = self.breaks

        closes: None | str | Unset
        if isinstance(self.closes, Unset):
            closes = UNSET
        else:
            closes = self.closes

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        opens: None | str | Unset
        if isinstance(self.opens, Unset):
            opens = UNSET
        else:
            opens = self.opens

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        weekdays: list[int] | None | Unset
        if isinstance(self.weekdays, Unset):
            weekdays = UNSET
        elif isinstance(self.weekdays, list):
            weekdays = self.weekdays


        else:
            weekdays = self.weekdays


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
        })
        if breaks is not UNSET:
            field_dict["breaks"] = breaks
        if closes is not UNSET:
            field_dict["closes"] = closes
        if country is not UNSET:
            field_dict["country"] = country
        if opens is not UNSET:
            field_dict["opens"] = opens
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if weekdays is not UNSET:
            field_dict["weekdays"] = weekdays

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = ScheduleInKind(d.pop("kind"))




        def _parse_breaks(data: object) -> list[list[str]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                breaks_type_0 = []
                _breaks_type_0 = data
                for breaks_type_0_item_data in (_breaks_type_0):
                    breaks_type_0_item = []
                    _breaks_type_0_item = breaks_type_0_item_data
                    for breaks_type_0_item_item_data in (_breaks_type_0_item):
                        def _parse_breaks_type_0_item_item(data: object) -> str:
                            return cast(str, data)

                        breaks_type_0_item_item = _parse_breaks_type_0_item_item(breaks_type_0_item_item_data)

                        breaks_type_0_item.append(breaks_type_0_item_item)

                    breaks_type_0.append(breaks_type_0_item)

                return breaks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[str]] | None | Unset, data)

        breaks = _parse_breaks(d.pop("breaks", UNSET))


        def _parse_closes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        closes = _parse_closes(d.pop("closes", UNSET))


        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        def _parse_opens(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        opens = _parse_opens(d.pop("opens", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        def _parse_weekdays(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                weekdays_type_0 = cast(list[int], data)

                return weekdays_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        weekdays = _parse_weekdays(d.pop("weekdays", UNSET))


        schedule_in = cls(
            kind=kind,
            breaks=breaks,
            closes=closes,
            country=country,
            opens=opens,
            timezone=timezone,
            weekdays=weekdays,
        )

        return schedule_in

