from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.entitlement_read import EntitlementRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    contact_email: None | str | Unset = UNSET,
    chat_id: None | str | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_contact_email: None | str | Unset
    if isinstance(contact_email, Unset):
        json_contact_email = UNSET
    else:
        json_contact_email = contact_email
    params["contact_email"] = json_contact_email

    json_chat_id: None | str | Unset
    if isinstance(chat_id, Unset):
        json_chat_id = UNSET
    else:
        json_chat_id = chat_id
    params["chat_id"] = json_chat_id

    json_at: None | str | Unset
    if isinstance(at, Unset):
        json_at = UNSET
    elif isinstance(at, datetime.datetime):
        json_at = at.isoformat()
    else:
        json_at = at
    params["at"] = json_at


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/entitlements",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EntitlementRead | Problem | None:
    if response.status_code == 200:
        response_200 = EntitlementRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EntitlementRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    contact_email: None | str | Unset = UNSET,
    chat_id: None | str | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> Response[EntitlementRead | Problem]:
    """ What the customer of this contact is entitled to now

     What the customer of this contact is entitled to now (or at ``at``).

    Args:
        contact_email (None | str | Unset): An active contact's email
        chat_id (None | str | Unset): An active contact's chat id
        at (datetime.datetime | None | Unset): An instant (years 1900-2200); default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntitlementRead | Problem]
     """


    kwargs = _get_kwargs(
        contact_email=contact_email,
chat_id=chat_id,
at=at,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    contact_email: None | str | Unset = UNSET,
    chat_id: None | str | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> EntitlementRead | Problem | None:
    """ What the customer of this contact is entitled to now

     What the customer of this contact is entitled to now (or at ``at``).

    Args:
        contact_email (None | str | Unset): An active contact's email
        chat_id (None | str | Unset): An active contact's chat id
        at (datetime.datetime | None | Unset): An instant (years 1900-2200); default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntitlementRead | Problem
     """


    return sync_detailed(
        client=client,
contact_email=contact_email,
chat_id=chat_id,
at=at,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    contact_email: None | str | Unset = UNSET,
    chat_id: None | str | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> Response[EntitlementRead | Problem]:
    """ What the customer of this contact is entitled to now

     What the customer of this contact is entitled to now (or at ``at``).

    Args:
        contact_email (None | str | Unset): An active contact's email
        chat_id (None | str | Unset): An active contact's chat id
        at (datetime.datetime | None | Unset): An instant (years 1900-2200); default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntitlementRead | Problem]
     """


    kwargs = _get_kwargs(
        contact_email=contact_email,
chat_id=chat_id,
at=at,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    contact_email: None | str | Unset = UNSET,
    chat_id: None | str | Unset = UNSET,
    at: datetime.datetime | None | Unset = UNSET,

) -> EntitlementRead | Problem | None:
    """ What the customer of this contact is entitled to now

     What the customer of this contact is entitled to now (or at ``at``).

    Args:
        contact_email (None | str | Unset): An active contact's email
        chat_id (None | str | Unset): An active contact's chat id
        at (datetime.datetime | None | Unset): An instant (years 1900-2200); default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntitlementRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
contact_email=contact_email,
chat_id=chat_id,
at=at,

    )).parsed
