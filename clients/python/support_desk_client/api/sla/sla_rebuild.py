from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.sla_rebuild_response_rebuild_open_api_v1_sla_rebuild_post import SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    elif isinstance(after, UUID):
        json_after = str(after)
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/sla/rebuild",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost | None:
    if response.status_code == 200:
        response_200 = SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,

) -> Response[Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost]:
    """ Replay the engine over a page of open tickets

     Replay the engine over a page of open tickets (after an engine fix); report what changed.

    Call again with ``after`` = the answer's ``next`` until ``next`` is null.

    Args:
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost]
     """


    kwargs = _get_kwargs(
        after=after,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,

) -> Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost | None:
    """ Replay the engine over a page of open tickets

     Replay the engine over a page of open tickets (after an engine fix); report what changed.

    Call again with ``after`` = the answer's ``next`` until ``next`` is null.

    Args:
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost
     """


    return sync_detailed(
        client=client,
after=after,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,

) -> Response[Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost]:
    """ Replay the engine over a page of open tickets

     Replay the engine over a page of open tickets (after an engine fix); report what changed.

    Call again with ``after`` = the answer's ``next`` until ``next`` is null.

    Args:
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost]
     """


    kwargs = _get_kwargs(
        after=after,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,

) -> Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost | None:
    """ Replay the engine over a page of open tickets

     Replay the engine over a page of open tickets (after an engine fix); report what changed.

    Call again with ``after`` = the answer's ``next`` until ``next`` is null.

    Args:
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost
     """


    return (await asyncio_detailed(
        client=client,
after=after,
limit=limit,

    )).parsed
