from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.article_read import ArticleRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    q: None | str | Unset = UNSET,
    match: str | Unset = 'all',
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    params["match"] = match

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/kb/articles",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[ArticleRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = ArticleRead.from_dict(response_200_item_data)



            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[ArticleRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: None | str | Unset = UNSET,
    match: str | Unset = 'all',
    limit: int | Unset = 20,

) -> Response[Problem | list[ArticleRead]]:
    """ Search articles

     Search articles (all words by default, ``match=any`` for any word), best first.

    Args:
        q (None | str | Unset): Words, Russian or English
        match (str | Unset):  Default: 'all'.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ArticleRead]]
     """


    kwargs = _get_kwargs(
        q=q,
match=match,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    q: None | str | Unset = UNSET,
    match: str | Unset = 'all',
    limit: int | Unset = 20,

) -> Problem | list[ArticleRead] | None:
    """ Search articles

     Search articles (all words by default, ``match=any`` for any word), best first.

    Args:
        q (None | str | Unset): Words, Russian or English
        match (str | Unset):  Default: 'all'.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ArticleRead]
     """


    return sync_detailed(
        client=client,
q=q,
match=match,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: None | str | Unset = UNSET,
    match: str | Unset = 'all',
    limit: int | Unset = 20,

) -> Response[Problem | list[ArticleRead]]:
    """ Search articles

     Search articles (all words by default, ``match=any`` for any word), best first.

    Args:
        q (None | str | Unset): Words, Russian or English
        match (str | Unset):  Default: 'all'.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ArticleRead]]
     """


    kwargs = _get_kwargs(
        q=q,
match=match,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: None | str | Unset = UNSET,
    match: str | Unset = 'all',
    limit: int | Unset = 20,

) -> Problem | list[ArticleRead] | None:
    """ Search articles

     Search articles (all words by default, ``match=any`` for any word), best first.

    Args:
        q (None | str | Unset): Words, Russian or English
        match (str | Unset):  Default: 'all'.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ArticleRead]
     """


    return (await asyncio_detailed(
        client=client,
q=q,
match=match,
limit=limit,

    )).parsed
