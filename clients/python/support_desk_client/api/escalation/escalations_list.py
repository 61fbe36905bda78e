from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.escalation_read import EscalationRead
from ...models.escalations_list_state_type_0 import EscalationsListStateType0
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    ticket_id: None | Unset | UUID = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    state: EscalationsListStateType0 | None | Unset = UNSET,
    out_of_hours: bool | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_ticket_id: None | str | Unset
    if isinstance(ticket_id, Unset):
        json_ticket_id = UNSET
    elif isinstance(ticket_id, UUID):
        json_ticket_id = str(ticket_id)
    else:
        json_ticket_id = ticket_id
    params["ticket_id"] = json_ticket_id

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    elif isinstance(customer_id, UUID):
        json_customer_id = str(customer_id)
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_line: int | None | Unset
    if isinstance(line, Unset):
        json_line = UNSET
    else:
        json_line = line
    params["line"] = json_line

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    elif isinstance(state, EscalationsListStateType0):
        json_state = state.value
    else:
        json_state = state
    params["state"] = json_state

    json_out_of_hours: bool | None | Unset
    if isinstance(out_of_hours, Unset):
        json_out_of_hours = UNSET
    else:
        json_out_of_hours = out_of_hours
    params["out_of_hours"] = json_out_of_hours

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/escalations",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[EscalationRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = EscalationRead.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[EscalationRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    ticket_id: None | Unset | UUID = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    state: EscalationsListStateType0 | None | Unset = UNSET,
    out_of_hours: bool | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[Problem | list[EscalationRead]]:
    """ Escalations

     Escalations, newest first; a customer-bound key sees only its customer's.

    Args:
        ticket_id (None | Unset | UUID):
        customer_id (None | Unset | UUID):
        line (int | None | Unset):
        state (EscalationsListStateType0 | None | Unset):
        out_of_hours (bool | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[EscalationRead]]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
customer_id=customer_id,
line=line,
state=state,
out_of_hours=out_of_hours,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    ticket_id: None | Unset | UUID = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    state: EscalationsListStateType0 | None | Unset = UNSET,
    out_of_hours: bool | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Problem | list[EscalationRead] | None:
    """ Escalations

     Escalations, newest first; a customer-bound key sees only its customer's.

    Args:
        ticket_id (None | Unset | UUID):
        customer_id (None | Unset | UUID):
        line (int | None | Unset):
        state (EscalationsListStateType0 | None | Unset):
        out_of_hours (bool | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[EscalationRead]
     """


    return sync_detailed(
        client=client,
ticket_id=ticket_id,
customer_id=customer_id,
line=line,
state=state,
out_of_hours=out_of_hours,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    ticket_id: None | Unset | UUID = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    state: EscalationsListStateType0 | None | Unset = UNSET,
    out_of_hours: bool | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[Problem | list[EscalationRead]]:
    """ Escalations

     Escalations, newest first; a customer-bound key sees only its customer's.

    Args:
        ticket_id (None | Unset | UUID):
        customer_id (None | Unset | UUID):
        line (int | None | Unset):
        state (EscalationsListStateType0 | None | Unset):
        out_of_hours (bool | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[EscalationRead]]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
customer_id=customer_id,
line=line,
state=state,
out_of_hours=out_of_hours,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    ticket_id: None | Unset | UUID = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    state: EscalationsListStateType0 | None | Unset = UNSET,
    out_of_hours: bool | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Problem | list[EscalationRead] | None:
    """ Escalations

     Escalations, newest first; a customer-bound key sees only its customer's.

    Args:
        ticket_id (None | Unset | UUID):
        customer_id (None | Unset | UUID):
        line (int | None | Unset):
        state (EscalationsListStateType0 | None | Unset):
        out_of_hours (bool | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[EscalationRead]
     """


    return (await asyncio_detailed(
        client=client,
ticket_id=ticket_id,
customer_id=customer_id,
line=line,
state=state,
out_of_hours=out_of_hours,
limit=limit,

    )).parsed
