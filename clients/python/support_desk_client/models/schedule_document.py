from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ScheduleDocument")



@_attrs_define
class ScheduleDocument:
    """ A working schedule on the wire (``shared.worktime.Schedule.to_dict``).

    A key the writer left out stays out when the document is written again (the JSON these
    events always carried), so the reader's defaults apply rather than explicit nulls.

        Attributes:
            kind (str):
            breaks (list[list[str]] | None | Unset):
            closes (None | str | Unset):
            country (None | str | Unset):
            extra_days_off (list[str] | None | Unset):
            extra_working_days (list[str] | None | Unset):
            opens (None | str | Unset):
            shortened_pre_holidays (bool | None | Unset):
            timezone (None | str | Unset):
            weekdays (list[int] | None | Unset):
     """

    kind: str
    breaks: list[list[str]] | None | Unset = UNSET
    closes: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    extra_days_off: list[str] | None | Unset = UNSET
    extra_working_days: list[str] | None | Unset = UNSET
    opens: None | str | Unset = UNSET
    shortened_pre_holidays: bool | None | Unset = UNSET
    timezone: None | str | Unset = UNSET
    weekdays: list[int] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        breaks: list[list[str]] | None | Unset
        if isinstance(self.breaks, Unset):
            breaks = UNSET
        elif isinstance(self.breaks, list):
            breaks = []
            for breaks_type_0_item_data in self.breaks:
                breaks_type_0_item = breaks_type_0_item_data


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

        extra_days_off: list[str] | None | Unset
        if isinstance(self.extra_days_off, Unset):
            extra_days_off = UNSET
        elif isinstance(self.extra_days_off, list):
            extra_days_off = self.extra_days_off


        else:
            extra_days_off = self.extra_days_off

        extra_working_days: list[str] | None | Unset
        if isinstance(self.extra_working_days, Unset):
            extra_working_days = UNSET
        elif isinstance(self.extra_working_days, list):
            extra_working_days = self.extra_working_days


        else:
            extra_working_days = self.extra_working_days

        opens: None | str | Unset
        if isinstance(self.opens, Unset):
            opens = UNSET
        else:
            opens = self.opens

        shortened_pre_holidays: bool | None | Unset
        if isinstance(self.shortened_pre_holidays, Unset):
            shortened_pre_holidays = UNSET
        else:
            shortened_pre_holidays = self.shortened_pre_holidays

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
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
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
        if shortened_pre_holidays is not UNSET:
            field_dict["shortened_pre_holidays"] = shortened_pre_holidays
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if weekdays is not UNSET:
            field_dict["weekdays"] = weekdays

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

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
                    breaks_type_0_item = cast(list[str], breaks_type_0_item_data)

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


        def _parse_extra_days_off(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                extra_days_off_type_0 = cast(list[str], data)

                return extra_days_off_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        extra_days_off = _parse_extra_days_off(d.pop("extra_days_off", UNSET))


        def _parse_extra_working_days(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                extra_working_days_type_0 = cast(list[str], data)

                return extra_working_days_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        extra_working_days = _parse_extra_working_days(d.pop("extra_working_days", UNSET))


        def _parse_opens(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        opens = _parse_opens(d.pop("opens", UNSET))


        def _parse_shortened_pre_holidays(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        shortened_pre_holidays = _parse_shortened_pre_holidays(d.pop("shortened_pre_holidays", UNSET))


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


        schedule_document = cls(
            kind=kind,
            breaks=breaks,
            closes=closes,
            country=country,
            extra_days_off=extra_days_off,
            extra_working_days=extra_working_days,
            opens=opens,
            shortened_pre_holidays=shortened_pre_holidays,
            timezone=timezone,
            weekdays=weekdays,
        )


        schedule_document.additional_properties = d
        return schedule_document

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
