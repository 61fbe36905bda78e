from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    type_: None | str | Unset = UNSET,
    ticket: None | Unset | UUID = UNSET,
    customer: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    heartbeat: float | None | Unset = UNSET,
    limit: int | Unset = 100,
    since: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["last-event-id"] = last_event_id



    

    params: dict[str, Any] = {}

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_ticket: None | str | Unset
    if isinstance(ticket, Unset):
        json_ticket = UNSET
    elif isinstance(ticket, UUID):
        json_ticket = str(ticket)
    else:
        json_ticket = ticket
    params["ticket"] = json_ticket

    json_customer: None | str | Unset
    if isinstance(customer, Unset):
        json_customer = UNSET
    elif isinstance(customer, UUID):
        json_customer = str(customer)
    else:
        json_customer = customer
    params["customer"] = json_customer

    json_line: int | None | Unset
    if isinstance(line, Unset):
        json_line = UNSET
    else:
        json_line = line
    params["line"] = json_line

    json_heartbeat: float | None | Unset
    if isinstance(heartbeat, Unset):
        json_heartbeat = UNSET
    else:
        json_heartbeat = heartbeat
    params["heartbeat"] = json_heartbeat

    params["limit"] = limit

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/stream",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = response.json()
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: None | str | Unset = UNSET,
    ticket: None | Unset | UUID = UNSET,
    customer: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    heartbeat: float | None | Unset = UNSET,
    limit: int | Unset = 100,
    since: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Events as they happen

     Events as they happen (``Accept: text/event-stream``), filtered; resumable.

    Args:
        type_ (None | str | Unset): Types, comma-separated; `sla.*`
        ticket (None | Unset | UUID):
        customer (None | Unset | UUID): Staff only; a customer key sees its own
        line (int | None | Unset): The ticket's support line
        heartbeat (float | None | Unset): Seconds between heartbeats
        limit (int | Unset): JSON answer: at most this many Default: 100.
        since (None | str | Unset): An event id to resume from when no Last-Event-ID is sent (a
            page passes the position it was rendered at)
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        type_=type_,
ticket=ticket,
customer=customer,
line=line,
heartbeat=heartbeat,
limit=limit,
since=since,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    type_: None | str | Unset = UNSET,
    ticket: None | Unset | UUID = UNSET,
    customer: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    heartbeat: float | None | Unset = UNSET,
    limit: int | Unset = 100,
    since: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Events as they happen

     Events as they happen (``Accept: text/event-stream``), filtered; resumable.

    Args:
        type_ (None | str | Unset): Types, comma-separated; `sla.*`
        ticket (None | Unset | UUID):
        customer (None | Unset | UUID): Staff only; a customer key sees its own
        line (int | None | Unset): The ticket's support line
        heartbeat (float | None | Unset): Seconds between heartbeats
        limit (int | Unset): JSON answer: at most this many Default: 100.
        since (None | str | Unset): An event id to resume from when no Last-Event-ID is sent (a
            page passes the position it was rendered at)
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
type_=type_,
ticket=ticket,
customer=customer,
line=line,
heartbeat=heartbeat,
limit=limit,
since=since,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: None | str | Unset = UNSET,
    ticket: None | Unset | UUID = UNSET,
    customer: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    heartbeat: float | None | Unset = UNSET,
    limit: int | Unset = 100,
    since: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Events as they happen

     Events as they happen (``Accept: text/event-stream``), filtered; resumable.

    Args:
        type_ (None | str | Unset): Types, comma-separated; `sla.*`
        ticket (None | Unset | UUID):
        customer (None | Unset | UUID): Staff only; a customer key sees its own
        line (int | None | Unset): The ticket's support line
        heartbeat (float | None | Unset): Seconds between heartbeats
        limit (int | Unset): JSON answer: at most this many Default: 100.
        since (None | str | Unset): An event id to resume from when no Last-Event-ID is sent (a
            page passes the position it was rendered at)
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        type_=type_,
ticket=ticket,
customer=customer,
line=line,
heartbeat=heartbeat,
limit=limit,
since=since,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    type_: None | str | Unset = UNSET,
    ticket: None | Unset | UUID = UNSET,
    customer: None | Unset | UUID = UNSET,
    line: int | None | Unset = UNSET,
    heartbeat: float | None | Unset = UNSET,
    limit: int | Unset = 100,
    since: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Events as they happen

     Events as they happen (``Accept: text/event-stream``), filtered; resumable.

    Args:
        type_ (None | str | Unset): Types, comma-separated; `sla.*`
        ticket (None | Unset | UUID):
        customer (None | Unset | UUID): Staff only; a customer key sees its own
        line (int | None | Unset): The ticket's support line
        heartbeat (float | None | Unset): Seconds between heartbeats
        limit (int | Unset): JSON answer: at most this many Default: 100.
        since (None | str | Unset): An event id to resume from when no Last-Event-ID is sent (a
            page passes the position it was rendered at)
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
type_=type_,
ticket=ticket,
customer=customer,
line=line,
heartbeat=heartbeat,
limit=limit,
since=since,
last_event_id=last_event_id,

    )).parsed
