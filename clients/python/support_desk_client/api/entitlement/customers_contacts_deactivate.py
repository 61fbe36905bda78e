from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.contact_read import ContactRead
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    customer_id: UUID,
    contact_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/customers/{customer_id}/contacts/{contact_id}/deactivate".format(customer_id=quote(str(customer_id), safe=""),contact_id=quote(str(contact_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ContactRead | Problem | None:
    if response.status_code == 200:
        response_200 = ContactRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ContactRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: UUID,
    contact_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[ContactRead | Problem]:
    """ Deactivate a contact to free a place

     Deactivate a contact to free a place.

    Args:
        customer_id (UUID):
        contact_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactRead | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
contact_id=contact_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: UUID,
    contact_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> ContactRead | Problem | None:
    """ Deactivate a contact to free a place

     Deactivate a contact to free a place.

    Args:
        customer_id (UUID):
        contact_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactRead | Problem
     """


    return sync_detailed(
        customer_id=customer_id,
contact_id=contact_id,
client=client,

    ).parsed

async def asyncio_detailed(
    customer_id: UUID,
    contact_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[ContactRead | Problem]:
    """ Deactivate a contact to free a place

     Deactivate a contact to free a place.

    Args:
        customer_id (UUID):
        contact_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactRead | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
contact_id=contact_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: UUID,
    contact_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> ContactRead | Problem | None:
    """ Deactivate a contact to free a place

     Deactivate a contact to free a place.

    Args:
        customer_id (UUID):
        contact_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactRead | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
contact_id=contact_id,
client=client,

    )).parsed
