from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.alert_status import AlertStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.alertmanager_alert_annotations import AlertmanagerAlertAnnotations
  from ..models.alertmanager_alert_labels import AlertmanagerAlertLabels





T = TypeVar("T", bound="AlertmanagerAlert")



@_attrs_define
class AlertmanagerAlert:
    """ One alert of a notification.

        Attributes:
            fingerprint (str):
            starts_at (datetime.datetime):
            status (AlertStatus): An alert's (or a group's) state as Alertmanager reports it.
            annotations (AlertmanagerAlertAnnotations | Unset):
            ends_at (datetime.datetime | None | Unset):
            generator_url (str | Unset):  Default: ''.
            labels (AlertmanagerAlertLabels | Unset):
     """

    fingerprint: str
    starts_at: datetime.datetime
    status: AlertStatus
    annotations: AlertmanagerAlertAnnotations | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    generator_url: str | Unset = ''
    labels: AlertmanagerAlertLabels | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.alertmanager_alert_annotations import AlertmanagerAlertAnnotations # noqa: PLC0415
        from ..models.alertmanager_alert_labels import AlertmanagerAlertLabels # noqa: PLC0415
        fingerprint = self.fingerprint

        starts_at = self.starts_at.isoformat()

        status = self.status.value

        annotations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.annotations, Unset):
            annotations = self.annotations.to_dict()

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        generator_url = self.generator_url

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "fingerprint": fingerprint,
            "startsAt": starts_at,
            "status": status,
        })
        if annotations is not UNSET:
            field_dict["annotations"] = annotations
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if generator_url is not UNSET:
            field_dict["generatorURL"] = generator_url
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alertmanager_alert_annotations import AlertmanagerAlertAnnotations # noqa: PLC0415
        from ..models.alertmanager_alert_labels import AlertmanagerAlertLabels # noqa: PLC0415
        d = dict(src_dict)
        fingerprint = d.pop("fingerprint")

        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        status = AlertStatus(d.pop("status"))




        _annotations = d.pop("annotations", UNSET)
        annotations: AlertmanagerAlertAnnotations | Unset
        if isinstance(_annotations,  Unset):
            annotations = UNSET
        else:
            annotations = AlertmanagerAlertAnnotations.from_dict(_annotations)




        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("endsAt", UNSET))


        generator_url = d.pop("generatorURL", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: AlertmanagerAlertLabels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = AlertmanagerAlertLabels.from_dict(_labels)




        alertmanager_alert = cls(
            fingerprint=fingerprint,
            starts_at=starts_at,
            status=status,
            annotations=annotations,
            ends_at=ends_at,
            generator_url=generator_url,
            labels=labels,
        )


        alertmanager_alert.additional_properties = d
        return alertmanager_alert

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
