from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.queue_item import QueueItem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    assignee: None | str | Unset = UNSET,
    customer_id: list[UUID] | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_assignee: None | str | Unset
    if isinstance(assignee, Unset):
        json_assignee = UNSET
    else:
        json_assignee = assignee
    params["assignee"] = json_assignee

    json_customer_id: list[str] | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    elif isinstance(customer_id, list):
        json_customer_id = []
        for customer_id_type_0_item_data in customer_id:
            customer_id_type_0_item = str(customer_id_type_0_item_data)
            json_customer_id.append(customer_id_type_0_item)


    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/queue",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[QueueItem] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = QueueItem.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[QueueItem]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    assignee: None | str | Unset = UNSET,
    customer_id: list[UUID] | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[Problem | list[QueueItem]]:
    """ The agent work queue

     The agent work queue: tier priority, then severity, then the nearest deadline.

    Args:
        assignee (None | str | Unset):
        customer_id (list[UUID] | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[QueueItem]]
     """


    kwargs = _get_kwargs(
        assignee=assignee,
customer_id=customer_id,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    assignee: None | str | Unset = UNSET,
    customer_id: list[UUID] | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Problem | list[QueueItem] | None:
    """ The agent work queue

     The agent work queue: tier priority, then severity, then the nearest deadline.

    Args:
        assignee (None | str | Unset):
        customer_id (list[UUID] | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[QueueItem]
     """


    return sync_detailed(
        client=client,
assignee=assignee,
customer_id=customer_id,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    assignee: None | str | Unset = UNSET,
    customer_id: list[UUID] | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[Problem | list[QueueItem]]:
    """ The agent work queue

     The agent work queue: tier priority, then severity, then the nearest deadline.

    Args:
        assignee (None | str | Unset):
        customer_id (list[UUID] | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[QueueItem]]
     """


    kwargs = _get_kwargs(
        assignee=assignee,
customer_id=customer_id,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    assignee: None | str | Unset = UNSET,
    customer_id: list[UUID] | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Problem | list[QueueItem] | None:
    """ The agent work queue

     The agent work queue: tier priority, then severity, then the nearest deadline.

    Args:
        assignee (None | str | Unset):
        customer_id (list[UUID] | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[QueueItem]
     """


    return (await asyncio_detailed(
        client=client,
assignee=assignee,
customer_id=customer_id,
limit=limit,

    )).parsed
