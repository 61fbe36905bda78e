from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.maintenance_plan_read import MaintenancePlanRead
from ...models.move_in import MoveIn
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    customer_id: UUID,
    key: str,
    *,
    body: MoveIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/customers/{customer_id}/maintenance/occurrences/{key}/move".format(customer_id=quote(str(customer_id), safe=""),key=quote(str(key), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MaintenancePlanRead | Problem | None:
    if response.status_code == 200:
        response_200 = MaintenancePlanRead.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[MaintenancePlanRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: UUID,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: MoveIn,

) -> Response[MaintenancePlanRead | Problem]:
    """ Move one occurrence (within 31 days), with the reason

     Move one occurrence (within 31 days), with the reason.

    Args:
        customer_id (UUID):
        key (str):
        body (MoveIn): An agent's move of one occurrence (within 31 days of the rule's instant).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MaintenancePlanRead | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
key=key,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: UUID,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: MoveIn,

) -> MaintenancePlanRead | Problem | None:
    """ Move one occurrence (within 31 days), with the reason

     Move one occurrence (within 31 days), with the reason.

    Args:
        customer_id (UUID):
        key (str):
        body (MoveIn): An agent's move of one occurrence (within 31 days of the rule's instant).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MaintenancePlanRead | Problem
     """


    return sync_detailed(
        customer_id=customer_id,
key=key,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    customer_id: UUID,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: MoveIn,

) -> Response[MaintenancePlanRead | Problem]:
    """ Move one occurrence (within 31 days), with the reason

     Move one occurrence (within 31 days), with the reason.

    Args:
        customer_id (UUID):
        key (str):
        body (MoveIn): An agent's move of one occurrence (within 31 days of the rule's instant).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MaintenancePlanRead | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
key=key,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: UUID,
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: MoveIn,

) -> MaintenancePlanRead | Problem | None:
    """ Move one occurrence (within 31 days), with the reason

     Move one occurrence (within 31 days), with the reason.

    Args:
        customer_id (UUID):
        key (str):
        body (MoveIn): An agent's move of one occurrence (within 31 days of the rule's instant).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MaintenancePlanRead | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
key=key,
client=client,
body=body,

    )).parsed
