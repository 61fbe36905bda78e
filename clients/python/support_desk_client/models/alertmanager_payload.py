from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.alert_status import AlertStatus
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.alertmanager_alert import AlertmanagerAlert
  from ..models.alertmanager_payload_commonannotations import AlertmanagerPayloadCommonannotations
  from ..models.alertmanager_payload_commonlabels import AlertmanagerPayloadCommonlabels
  from ..models.alertmanager_payload_grouplabels import AlertmanagerPayloadGrouplabels





T = TypeVar("T", bound="AlertmanagerPayload")



@_attrs_define
class AlertmanagerPayload:
    """ The body of a ``webhook_config`` notification (``version: "4"``).

        Attributes:
            alerts (list[AlertmanagerAlert]):
            group_key (str):
            receiver (str):
            status (AlertStatus): An alert's (or a group's) state as Alertmanager reports it.
            version (Literal['4']):
            common_annotations (AlertmanagerPayloadCommonannotations | Unset):
            common_labels (AlertmanagerPayloadCommonlabels | Unset):
            external_url (str | Unset):  Default: ''.
            group_labels (AlertmanagerPayloadGrouplabels | Unset):
            truncated_alerts (int | Unset):  Default: 0.
     """

    alerts: list[AlertmanagerAlert]
    group_key: str
    receiver: str
    status: AlertStatus
    version: Literal['4']
    common_annotations: AlertmanagerPayloadCommonannotations | Unset = UNSET
    common_labels: AlertmanagerPayloadCommonlabels | Unset = UNSET
    external_url: str | Unset = ''
    group_labels: AlertmanagerPayloadGrouplabels | Unset = UNSET
    truncated_alerts: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.alertmanager_alert import AlertmanagerAlert # noqa: PLC0415
        from ..models.alertmanager_payload_commonannotations import AlertmanagerPayloadCommonannotations # noqa: PLC0415
        from ..models.alertmanager_payload_commonlabels import AlertmanagerPayloadCommonlabels # noqa: PLC0415
        from ..models.alertmanager_payload_grouplabels import AlertmanagerPayloadGrouplabels # noqa: PLC0415
        alerts = []
        for alerts_item_data in self.alerts:
            alerts_item = alerts_item_data.to_dict()
            alerts.append(alerts_item)



        group_key = self.group_key

        receiver = self.receiver

        status = self.status.value

        version = self.version

        common_annotations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_annotations, Unset):
            common_annotations = self.common_annotations.to_dict()

        common_labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_labels, Unset):
            common_labels = self.common_labels.to_dict()

        external_url = self.external_url

        group_labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.group_labels, Unset):
            group_labels = self.group_labels.to_dict()

        truncated_alerts = self.truncated_alerts


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "alerts": alerts,
            "groupKey": group_key,
            "receiver": receiver,
            "status": status,
            "version": version,
        })
        if common_annotations is not UNSET:
            field_dict["commonAnnotations"] = common_annotations
        if common_labels is not UNSET:
            field_dict["commonLabels"] = common_labels
        if external_url is not UNSET:
            field_dict["externalURL"] = external_url
        if group_labels is not UNSET:
            field_dict["groupLabels"] = group_labels
        if truncated_alerts is not UNSET:
            field_dict["truncatedAlerts"] = truncated_alerts

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alertmanager_alert import AlertmanagerAlert # noqa: PLC0415
        from ..models.alertmanager_payload_commonannotations import AlertmanagerPayloadCommonannotations # noqa: PLC0415
        from ..models.alertmanager_payload_commonlabels import AlertmanagerPayloadCommonlabels # noqa: PLC0415
        from ..models.alertmanager_payload_grouplabels import AlertmanagerPayloadGrouplabels # noqa: PLC0415
        d = dict(src_dict)
        alerts = []
        _alerts = d.pop("alerts")
        for alerts_item_data in (_alerts):
            alerts_item = AlertmanagerAlert.from_dict(alerts_item_data)



            alerts.append(alerts_item)


        group_key = d.pop("groupKey")

        receiver = d.pop("receiver")

        status = AlertStatus(d.pop("status"))




        version = cast(Literal['4'] , d.pop("version"))
        if version != '4':
            raise ValueError(f"version must match const '4', got '{version}'")

        _common_annotations = d.pop("commonAnnotations", UNSET)
        common_annotations: AlertmanagerPayloadCommonannotations | Unset
        if isinstance(_common_annotations,  Unset):
            common_annotations = UNSET
        else:
            common_annotations = AlertmanagerPayloadCommonannotations.from_dict(_common_annotations)




        _common_labels = d.pop("commonLabels", UNSET)
        common_labels: AlertmanagerPayloadCommonlabels | Unset
        if isinstance(_common_labels,  Unset):
            common_labels = UNSET
        else:
            common_labels = AlertmanagerPayloadCommonlabels.from_dict(_common_labels)




        external_url = d.pop("externalURL", UNSET)

        _group_labels = d.pop("groupLabels", UNSET)
        group_labels: AlertmanagerPayloadGrouplabels | Unset
        if isinstance(_group_labels,  Unset):
            group_labels = UNSET
        else:
            group_labels = AlertmanagerPayloadGrouplabels.from_dict(_group_labels)




        truncated_alerts = d.pop("truncatedAlerts", UNSET)

        alertmanager_payload = cls(
            alerts=alerts,
            group_key=group_key,
            receiver=receiver,
            status=status,
            version=version,
            common_annotations=common_annotations,
            common_labels=common_labels,
            external_url=external_url,
            group_labels=group_labels,
            truncated_alerts=truncated_alerts,
        )


        alertmanager_payload.additional_properties = d
        return alertmanager_payload

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
