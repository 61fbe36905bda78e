from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.duty_read import DutyRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    line: int | None | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_line: int | None | Unset
    if isinstance(line, Unset):
        json_line = UNSET
    else:
        json_line = line
    params["line"] = json_line

    json_at: None | str | Unset
    if isinstance(at, Unset):
        json_at = UNSET
    elif isinstance(at, datetime.datetime):
        json_at = at.isoformat()
    else:
        json_at = at
    params["at"] = json_at


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/duty",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[DutyRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = DutyRead.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[DutyRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> Response[Problem | list[DutyRead]]:
    """ Shifts covering instant at

     Shifts covering instant ``at`` (default: now), optionally of one line.

    Args:
        line (int | None | Unset):
        at (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[DutyRead]]
     """


    kwargs = _get_kwargs(
        line=line,
at=at,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> Problem | list[DutyRead] | None:
    """ Shifts covering instant at

     Shifts covering instant ``at`` (default: now), optionally of one line.

    Args:
        line (int | None | Unset):
        at (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[DutyRead]
     """


    return sync_detailed(
        client=client,
line=line,
at=at,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> Response[Problem | list[DutyRead]]:
    """ Shifts covering instant at

     Shifts covering instant ``at`` (default: now), optionally of one line.

    Args:
        line (int | None | Unset):
        at (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[DutyRead]]
     """


    kwargs = _get_kwargs(
        line=line,
at=at,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> Problem | list[DutyRead] | None:
    """ Shifts covering instant at

     Shifts covering instant ``at`` (default: now), optionally of one line.

    Args:
        line (int | None | Unset):
        at (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[DutyRead]
     """


    return (await asyncio_detailed(
        client=client,
line=line,
at=at,

    )).parsed
