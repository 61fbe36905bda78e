from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.visit_read import VisitRead
from ...models.visit_step_create import VisitStepCreate
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,
    visit_id: UUID,
    *,
    body: VisitStepCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tickets/{ticket_id}/visits/{visit_id}/steps".format(ticket_id=quote(str(ticket_id), safe=""),visit_id=quote(str(visit_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | VisitRead | None:
    if response.status_code == 200:
        response_200 = VisitRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | VisitRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ticket_id: UUID,
    visit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VisitStepCreate,

) -> Response[Problem | VisitRead]:
    """ Schedule

     Schedule (or reschedule), complete or cancel a visit; the workflow checks who may.

    Args:
        ticket_id (UUID):
        visit_id (UUID):
        body (VisitStepCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VisitRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
visit_id=visit_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    visit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VisitStepCreate,

) -> Problem | VisitRead | None:
    """ Schedule

     Schedule (or reschedule), complete or cancel a visit; the workflow checks who may.

    Args:
        ticket_id (UUID):
        visit_id (UUID):
        body (VisitStepCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VisitRead
     """


    return sync_detailed(
        ticket_id=ticket_id,
visit_id=visit_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    visit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VisitStepCreate,

) -> Response[Problem | VisitRead]:
    """ Schedule

     Schedule (or reschedule), complete or cancel a visit; the workflow checks who may.

    Args:
        ticket_id (UUID):
        visit_id (UUID):
        body (VisitStepCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VisitRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
visit_id=visit_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    visit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VisitStepCreate,

) -> Problem | VisitRead | None:
    """ Schedule

     Schedule (or reschedule), complete or cancel a visit; the workflow checks who may.

    Args:
        ticket_id (UUID):
        visit_id (UUID):
        body (VisitStepCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VisitRead
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
visit_id=visit_id,
client=client,
body=body,

    )).parsed
