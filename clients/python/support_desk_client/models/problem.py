from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.problem_field import ProblemField





T = TypeVar("T", bound="Problem")



@_attrs_define
class Problem:
    """ An RFC 9457 problem: ``type`` is stable; ``title`` and ``detail`` follow Accept-Language (English or Russian).

        Attributes:
            detail (str):
            status (int):  Example: 422.
            title (str):  Example: Invalid request.
            type_ (str):  Example: /problems/validation-error.
            allowed_roles (list[str] | Unset):
            errors (list[ProblemField] | Unset):
            instance (str | Unset):  Example: /api/v1/tickets.
     """

    detail: str
    status: int
    title: str
    type_: str
    allowed_roles: list[str] | Unset = UNSET
    errors: list[ProblemField] | Unset = UNSET
    instance: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.problem_field import ProblemField # noqa: PLC0415
        detail = self.detail

        status = self.status

        title = self.title

        type_ = self.type_

        allowed_roles: list[str] | Unset = UNSET
        if not isinstance(self.allowed_roles, Unset):
            allowed_roles = self.allowed_roles



        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)



        instance = self.instance


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "detail": detail,
            "status": status,
            "title": title,
            "type": type_,
        })
        if allowed_roles is not UNSET:
            field_dict["allowed_roles"] = allowed_roles
        if errors is not UNSET:
            field_dict["errors"] = errors
        if instance is not UNSET:
            field_dict["instance"] = instance

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.problem_field import ProblemField # noqa: PLC0415
        d = dict(src_dict)
        detail = d.pop("detail")

        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        allowed_roles = cast(list[str], d.pop("allowed_roles", UNSET))


        _errors = d.pop("errors", UNSET)
        errors: list[ProblemField] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = ProblemField.from_dict(errors_item_data)



                errors.append(errors_item)


        instance = d.pop("instance", UNSET)

        problem = cls(
            detail=detail,
            status=status,
            title=title,
            type_=type_,
            allowed_roles=allowed_roles,
            errors=errors,
            instance=instance,
        )


        problem.additional_properties = d
        return problem

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
