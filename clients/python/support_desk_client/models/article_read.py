from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ArticleRead")



@_attrs_define
class ArticleRead:
    """ 
        Attributes:
            body (str):
            created_at (datetime.datetime):
            id (UUID):
            kind (str):
            product (None | str):
            tags (list[str]):
            title (str):
            rank (float | None | Unset):
     """

    body: str
    created_at: datetime.datetime
    id: UUID
    kind: str
    product: None | str
    tags: list[str]
    title: str
    rank: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at.isoformat()

        id = str(self.id)

        kind = self.kind

        product: None | str
        product = self.product

        tags = self.tags



        title = self.title

        rank: float | None | Unset
        if isinstance(self.rank, Unset):
            rank = UNSET
        else:
            rank = self.rank


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "created_at": created_at,
            "id": id,
            "kind": kind,
            "product": product,
            "tags": tags,
            "title": title,
        })
        if rank is not UNSET:
            field_dict["rank"] = rank

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        kind = d.pop("kind")

        def _parse_product(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        product = _parse_product(d.pop("product"))


        tags = cast(list[str], d.pop("tags"))


        title = d.pop("title")

        def _parse_rank(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rank = _parse_rank(d.pop("rank", UNSET))


        article_read = cls(
            body=body,
            created_at=created_at,
            id=id,
            kind=kind,
            product=product,
            tags=tags,
            title=title,
            rank=rank,
        )


        article_read.additional_properties = d
        return article_read

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
