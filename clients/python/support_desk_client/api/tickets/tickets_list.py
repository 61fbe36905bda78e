from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.ticket_page import TicketPage
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    status: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    tier: None | str | Unset = UNSET,
    severity: None | str | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    breached: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    else:
        json_status = status
    params["status"] = json_status

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    elif isinstance(customer_id, UUID):
        json_customer_id = str(customer_id)
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_tier: None | str | Unset
    if isinstance(tier, Unset):
        json_tier = UNSET
    else:
        json_tier = tier
    params["tier"] = json_tier

    json_severity: None | str | Unset
    if isinstance(severity, Unset):
        json_severity = UNSET
    else:
        json_severity = severity
    params["severity"] = json_severity

    json_assignee: None | str | Unset
    if isinstance(assignee, Unset):
        json_assignee = UNSET
    else:
        json_assignee = assignee
    params["assignee"] = json_assignee

    json_breached: bool | None | Unset
    if isinstance(breached, Unset):
        json_breached = UNSET
    else:
        json_breached = breached
    params["breached"] = json_breached

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TicketPage | None:
    if response.status_code == 200:
        response_200 = TicketPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TicketPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    tier: None | str | Unset = UNSET,
    severity: None | str | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    breached: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[Problem | TicketPage]:
    """ Tickets newest first

     Tickets newest first, filtered; follow ``next_cursor`` for the next page.

    Args:
        status (None | str | Unset): Comma-separated statuses
        customer_id (None | Unset | UUID):
        tier (None | str | Unset): Comma-separated tiers
        severity (None | str | Unset): Comma-separated severities
        assignee (None | str | Unset):
        breached (bool | None | Unset):
        q (None | str | Unset): Text in subject/description
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketPage]
     """


    kwargs = _get_kwargs(
        status=status,
customer_id=customer_id,
tier=tier,
severity=severity,
assignee=assignee,
breached=breached,
q=q,
cursor=cursor,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    status: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    tier: None | str | Unset = UNSET,
    severity: None | str | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    breached: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Problem | TicketPage | None:
    """ Tickets newest first

     Tickets newest first, filtered; follow ``next_cursor`` for the next page.

    Args:
        status (None | str | Unset): Comma-separated statuses
        customer_id (None | Unset | UUID):
        tier (None | str | Unset): Comma-separated tiers
        severity (None | str | Unset): Comma-separated severities
        assignee (None | str | Unset):
        breached (bool | None | Unset):
        q (None | str | Unset): Text in subject/description
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketPage
     """


    return sync_detailed(
        client=client,
status=status,
customer_id=customer_id,
tier=tier,
severity=severity,
assignee=assignee,
breached=breached,
q=q,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    tier: None | str | Unset = UNSET,
    severity: None | str | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    breached: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Response[Problem | TicketPage]:
    """ Tickets newest first

     Tickets newest first, filtered; follow ``next_cursor`` for the next page.

    Args:
        status (None | str | Unset): Comma-separated statuses
        customer_id (None | Unset | UUID):
        tier (None | str | Unset): Comma-separated tiers
        severity (None | str | Unset): Comma-separated severities
        assignee (None | str | Unset):
        breached (bool | None | Unset):
        q (None | str | Unset): Text in subject/description
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketPage]
     """


    kwargs = _get_kwargs(
        status=status,
customer_id=customer_id,
tier=tier,
severity=severity,
assignee=assignee,
breached=breached,
q=q,
cursor=cursor,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: None | str | Unset = UNSET,
    customer_id: None | Unset | UUID = UNSET,
    tier: None | str | Unset = UNSET,
    severity: None | str | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    breached: bool | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,

) -> Problem | TicketPage | None:
    """ Tickets newest first

     Tickets newest first, filtered; follow ``next_cursor`` for the next page.

    Args:
        status (None | str | Unset): Comma-separated statuses
        customer_id (None | Unset | UUID):
        tier (None | str | Unset): Comma-separated tiers
        severity (None | str | Unset): Comma-separated severities
        assignee (None | str | Unset):
        breached (bool | None | Unset):
        q (None | str | Unset): Text in subject/description
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketPage
     """


    return (await asyncio_detailed(
        client=client,
status=status,
customer_id=customer_id,
tier=tier,
severity=severity,
assignee=assignee,
breached=breached,
q=q,
cursor=cursor,
limit=limit,

    )).parsed
