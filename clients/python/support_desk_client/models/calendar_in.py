from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CalendarIn")



@_attrs_define
class CalendarIn:
    """ A customer's calendar overrides; the whole set replaces the previous version.

        Attributes:
            breaks (list[list[str]] | None | Unset):
            closes (None | str | Unset):
            country (None | str | Unset):
            extra_days_off (list[datetime.date] | Unset):
            extra_working_days (list[datetime.date] | Unset):
            opens (None | str | Unset):
            timezone (None | str | Unset):
     """

    breaks: list[list[str]] | None | Unset = UNSET
    closes: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    extra_days_off: list[datetime.date] | Unset = UNSET
    extra_working_days: list[datetime.date] | Unset = UNSET
    opens: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
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

        extra_days_off: list[str] | Unset = UNSET
        if not isinstance(self.extra_days_off, Unset):
            extra_days_off = []
            for extra_days_off_item_data in self.extra_days_off:
                extra_days_off_item = extra_days_off_item_data.isoformat()
                extra_days_off.append(extra_days_off_item)



        extra_working_days: list[str] | Unset = UNSET
        if not isinstance(self.extra_working_days, Unset):
            extra_working_days = []
            for extra_working_days_item_data in self.extra_working_days:
                extra_working_days_item = extra_working_days_item_data.isoformat()
                extra_working_days.append(extra_working_days_item)



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


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if breaks is not UNSET:
            field_dict["breaks"] = breaks
        if closes is not UNSET:
            field_dict["closes"] = closes
        if country is not UNSET:
            field_dict["country"] = country
        if extra_days_off is not UNSET:
            field_dict["extra_days_off"] = extra_days_off
        if extra_working_days is not UNSET:
            field_dict["extra_working_days"] = extra_working_days
        if opens is not UNSET:
            field_dict["opens"] = opens
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        _extra_days_off = d.pop("extra_days_off", UNSET)
        extra_days_off: list[datetime.date] | Unset = UNSET
        if _extra_days_off is not UNSET:
            extra_days_off = []
            for extra_days_off_item_data in _extra_days_off:
                extra_days_off_item = datetime.date.fromisoformat(extra_days_off_item_data)



                extra_days_off.append(extra_days_off_item)


        _extra_working_days = d.pop("extra_working_days", UNSET)
        extra_working_days: list[datetime.date] | Unset = UNSET
        if _extra_working_days is not UNSET:
            extra_working_days = []
            for extra_working_days_item_data in _extra_working_days:
                extra_working_days_item = datetime.date.fromisoformat(extra_working_days_item_data)



                extra_working_days.append(extra_working_days_item)


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


        calendar_in = cls(
            breaks=breaks,
            closes=closes,
            country=country,
            extra_days_off=extra_days_off,
            extra_working_days=extra_working_days,
            opens=opens,
            timezone=timezone,
        )

        return calendar_in

