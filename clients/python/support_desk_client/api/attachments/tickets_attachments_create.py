from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.body_upload_attachments_api_v1_tickets_ticket_id_attachments_post import BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost
from ...models.problem import Problem
from ...models.upload_read import UploadRead
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,
    *,
    body: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tickets/{ticket_id}/attachments".format(ticket_id=quote(str(ticket_id), safe=""),),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UploadRead | None:
    if response.status_code == 201:
        response_201 = UploadRead.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | UploadRead]:
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
    body: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost,

) -> Response[Problem | UploadRead]:
    """ Attach files to the ticket

     Attach files to the ticket (multipart/form-data); with ``comment``, as a public comment.

    Limits (413 naming the file, its size and the limit): per file, per upload, and the
    number of files (``INTAKE_ATTACHMENTS__MAX_*``).

    Args:
        ticket_id (UUID):
        body (BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost,

) -> Problem | UploadRead | None:
    """ Attach files to the ticket

     Attach files to the ticket (multipart/form-data); with ``comment``, as a public comment.

    Limits (413 naming the file, its size and the limit): per file, per upload, and the
    number of files (``INTAKE_ATTACHMENTS__MAX_*``).

    Args:
        ticket_id (UUID):
        body (BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadRead
     """


    return sync_detailed(
        ticket_id=ticket_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost,

) -> Response[Problem | UploadRead]:
    """ Attach files to the ticket

     Attach files to the ticket (multipart/form-data); with ``comment``, as a public comment.

    Limits (413 naming the file, its size and the limit): per file, per upload, and the
    number of files (``INTAKE_ATTACHMENTS__MAX_*``).

    Args:
        ticket_id (UUID):
        body (BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UploadRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost,

) -> Problem | UploadRead | None:
    """ Attach files to the ticket

     Attach files to the ticket (multipart/form-data); with ``comment``, as a public comment.

    Limits (413 naming the file, its size and the limit): per file, per upload, and the
    number of files (``INTAKE_ATTACHMENTS__MAX_*``).

    Args:
        ticket_id (UUID):
        body (BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UploadRead
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
client=client,
body=body,

    )).parsed
