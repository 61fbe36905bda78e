from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.tickets_sla_explain_response_explain_api_v1_tickets_ticket_id_sla_explain_get import TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,
    *,
    policy: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_policy: None | str | Unset
    if isinstance(policy, Unset):
        json_policy = UNSET
    else:
        json_policy = policy
    params["policy"] = json_policy


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets/{ticket_id}/sla/explain".format(ticket_id=quote(str(ticket_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet | None:
    if response.status_code == 200:
        response_200 = TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet]:
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
    policy: None | str | Unset = UNSET,

) -> Response[Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet]:
    """ Say why each deadline is what it is

     Say why each deadline is what it is; ``policy=`` re-runs it under another version.

    Args:
        ticket_id (UUID):
        policy (None | str | Unset): re-run the history under this policy version, or `current`
            (the programme's)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
policy=policy,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    policy: None | str | Unset = UNSET,

) -> Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet | None:
    """ Say why each deadline is what it is

     Say why each deadline is what it is; ``policy=`` re-runs it under another version.

    Args:
        ticket_id (UUID):
        policy (None | str | Unset): re-run the history under this policy version, or `current`
            (the programme's)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet
     """


    return sync_detailed(
        ticket_id=ticket_id,
client=client,
policy=policy,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    policy: None | str | Unset = UNSET,

) -> Response[Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet]:
    """ Say why each deadline is what it is

     Say why each deadline is what it is; ``policy=`` re-runs it under another version.

    Args:
        ticket_id (UUID):
        policy (None | str | Unset): re-run the history under this policy version, or `current`
            (the programme's)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
policy=policy,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    policy: None | str | Unset = UNSET,

) -> Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet | None:
    """ Say why each deadline is what it is

     Say why each deadline is what it is; ``policy=`` re-runs it under another version.

    Args:
        ticket_id (UUID):
        policy (None | str | Unset): re-run the history under this policy version, or `current`
            (the programme's)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
client=client,
policy=policy,

    )).parsed
