from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.staff_read import StaffRead
from ...models.staff_update import StaffUpdate
from typing import cast
from uuid import UUID



def _get_kwargs(
    staff_id: UUID,
    *,
    body: StaffUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/staff/{staff_id}".format(staff_id=quote(str(staff_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StaffRead | None:
    if response.status_code == 200:
        response_200 = StaffRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | StaffRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    staff_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUpdate,

) -> Response[Problem | StaffRead]:
    """ Change a staff member

     Change a staff member (deactivate with ``{"active": false}``; ``admin`` by admins).

    Args:
        staff_id (UUID):
        body (StaffUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffRead]
     """


    kwargs = _get_kwargs(
        staff_id=staff_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    staff_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUpdate,

) -> Problem | StaffRead | None:
    """ Change a staff member

     Change a staff member (deactivate with ``{"active": false}``; ``admin`` by admins).

    Args:
        staff_id (UUID):
        body (StaffUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffRead
     """


    return sync_detailed(
        staff_id=staff_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    staff_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUpdate,

) -> Response[Problem | StaffRead]:
    """ Change a staff member

     Change a staff member (deactivate with ``{"active": false}``; ``admin`` by admins).

    Args:
        staff_id (UUID):
        body (StaffUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffRead]
     """


    kwargs = _get_kwargs(
        staff_id=staff_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    staff_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: StaffUpdate,

) -> Problem | StaffRead | None:
    """ Change a staff member

     Change a staff member (deactivate with ``{"active": false}``; ``admin`` by admins).

    Args:
        staff_id (UUID):
        body (StaffUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffRead
     """


    return (await asyncio_detailed(
        staff_id=staff_id,
client=client,
body=body,

    )).parsed
