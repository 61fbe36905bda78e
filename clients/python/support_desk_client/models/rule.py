from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rule_notify_item import RuleNotifyItem
from ..models.rule_timer import RuleTimer
from ..models.rule_trigger import RuleTrigger
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Rule")



@_attrs_define
class Rule:
    """ What one warning percentage or one breach of one timer does.

        Attributes:
            timer (RuleTimer):
            trigger (RuleTrigger):
            next_line (bool | Unset):  Default: False.
            notify (list[RuleNotifyItem] | Unset):
            percent (int | None | Unset):
     """

    timer: RuleTimer
    trigger: RuleTrigger
    next_line: bool | Unset = False
    notify: list[RuleNotifyItem] | Unset = UNSET
    percent: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        timer = self.timer.value

        trigger = self.trigger.value

        next_line = self.next_line

        notify: list[str] | Unset = UNSET
        if not isinstance(self.notify, Unset):
            notify = []
            for notify_item_data in self.notify:
                notify_item = notify_item_data.value
                notify.append(notify_item)



        percent: int | None | Unset
        if isinstance(self.percent, Unset):
            percent = UNSET
        else:
            percent = self.percent


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "timer": timer,
            "trigger": trigger,
        })
        if next_line is not UNSET:
            field_dict["next_line"] = next_line
        if notify is not UNSET:
            field_dict["notify"] = notify
        if percent is not UNSET:
            field_dict["percent"] = percent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timer = RuleTimer(d.pop("timer"))




        trigger = RuleTrigger(d.pop("trigger"))




        next_line = d.pop("next_line", UNSET)

        _notify = d.pop("notify", UNSET)
        notify: list[RuleNotifyItem] | Unset = UNSET
        if _notify is not UNSET:
            notify = []
            for notify_item_data in _notify:
                notify_item = RuleNotifyItem(notify_item_data)



                notify.append(notify_item)


        def _parse_percent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        percent = _parse_percent(d.pop("percent", UNSET))


        rule = cls(
            timer=timer,
            trigger=trigger,
            next_line=next_line,
            notify=notify,
            percent=percent,
        )

        return rule

