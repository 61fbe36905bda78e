from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.notification_read import NotificationRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,
    *,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets/{ticket_id}/notifications".format(ticket_id=quote(str(ticket_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[NotificationRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = NotificationRead.from_dict(response_200_item_data)



            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[NotificationRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 100,

) -> Response[Problem | list[NotificationRead]]:
    """ What notification sent about one ticket

     What notification sent about one ticket (404 for a ticket it does not know or may not show).

    Args:
        ticket_id (UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[NotificationRead]]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 100,

) -> Problem | list[NotificationRead] | None:
    """ What notification sent about one ticket

     What notification sent about one ticket (404 for a ticket it does not know or may not show).

    Args:
        ticket_id (UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[NotificationRead]
     """


    return sync_detailed(
        ticket_id=ticket_id,
client=client,
limit=limit,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 100,

) -> Response[Problem | list[NotificationRead]]:
    """ What notification sent about one ticket

     What notification sent about one ticket (404 for a ticket it does not know or may not show).

    Args:
        ticket_id (UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[NotificationRead]]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 100,

) -> Problem | list[NotificationRead] | None:
    """ What notification sent about one ticket

     What notification sent about one ticket (404 for a ticket it does not know or may not show).

    Args:
        ticket_id (UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[NotificationRead]
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
client=client,
limit=limit,

    )).parsed
