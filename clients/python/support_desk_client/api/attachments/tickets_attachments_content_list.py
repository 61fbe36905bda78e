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
    ticket_id: UUID,
    attachment_id: UUID,
    *,
    if_none_match: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets/{ticket_id}/attachments/{attachment_id}/content".format(ticket_id=quote(str(ticket_id), safe=""),attachment_id=quote(str(attachment_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ticket_id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ The file's bytes

     The file's bytes, byte for byte, as a download (never rendered as a page).

    Args:
        ticket_id (UUID):
        attachment_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
attachment_id=attachment_id,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ The file's bytes

     The file's bytes, byte for byte, as a download (never rendered as a page).

    Args:
        ticket_id (UUID):
        attachment_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        ticket_id=ticket_id,
attachment_id=attachment_id,
client=client,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ The file's bytes

     The file's bytes, byte for byte, as a download (never rendered as a page).

    Args:
        ticket_id (UUID):
        attachment_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
attachment_id=attachment_id,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    if_none_match: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ The file's bytes

     The file's bytes, byte for byte, as a download (never rendered as a page).

    Args:
        ticket_id (UUID):
        attachment_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
attachment_id=attachment_id,
client=client,
if_none_match=if_none_match,

    )).parsed
