from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.article_create_kind import ArticleCreateKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ArticleCreate")



@_attrs_define
class ArticleCreate:
    """ 
        Attributes:
            body (str):
            kind (ArticleCreateKind):
            title (str):
            product (None | str | Unset):
            tags (list[str] | Unset):
     """

    body: str
    kind: ArticleCreateKind
    title: str
    product: None | str | Unset = UNSET
    tags: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        kind = self.kind.value

        title = self.title

        product: None | str | Unset
        if isinstance(self.product, Unset):
            product = UNSET
        else:
            product = self.product

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "body": body,
            "kind": kind,
            "title": title,
        })
        if product is not UNSET:
            field_dict["product"] = product
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        kind = ArticleCreateKind(d.pop("kind"))




        title = d.pop("title")

        def _parse_product(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product = _parse_product(d.pop("product", UNSET))


        tags = cast(list[str], d.pop("tags", UNSET))


        article_create = cls(
            body=body,
            kind=kind,
            title=title,
            product=product,
            tags=tags,
        )

        return article_create

