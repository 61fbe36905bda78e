from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.tickets_sla_get_response_ticket_sla_api_v1_tickets_ticket_id_sla_get import TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets/{ticket_id}/sla".format(ticket_id=quote(str(ticket_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet | None:
    if response.status_code == 200:
        response_200 = TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet]:
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

) -> Response[Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet]:
    """ Explain a ticket's timers

     Explain a ticket's timers: state, due instant, time used and left, pauses, events.

    Args:
        ticket_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet | None:
    """ Explain a ticket's timers

     Explain a ticket's timers: state, due instant, time used and left, pauses, events.

    Args:
        ticket_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet
     """


    return sync_detailed(
        ticket_id=ticket_id,
client=client,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet]:
    """ Explain a ticket's timers

     Explain a ticket's timers: state, due instant, time used and left, pauses, events.

    Args:
        ticket_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet | None:
    """ Explain a ticket's timers

     Explain a ticket's timers: state, due instant, time used and left, pauses, events.

    Args:
        ticket_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
client=client,

    )).parsed
