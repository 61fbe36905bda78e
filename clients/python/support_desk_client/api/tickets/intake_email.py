from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.inbound_result import InboundResult
from ...models.intake_email_json_email_in import IntakeEmailJsonEmailIn
from ...models.problem import Problem
from ...models.raw_mail_result import RawMailResult
from typing import cast



def _get_kwargs(
    *,
    body: IntakeEmailJsonEmailIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/intake/email",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> InboundResult | RawMailResult | Problem | RawMailResult | None:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> InboundResult | RawMailResult:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = InboundResult.from_dict(data)



                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = RawMailResult.from_dict(data)



            return response_200_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = RawMailResult.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[InboundResult | RawMailResult | Problem | RawMailResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IntakeEmailJsonEmailIn,

) -> Response[InboundResult | RawMailResult | Problem | RawMailResult]:
    """ An email bot's message

     An email bot's message: new ticket (201), comment on its ticket (201), or a repeat (200).

    JSON (a message the bot parsed), or the raw message as ``message/rfc822``: stored,
    then parsed, screened and processed at once like mail received over SMTP; mail that
    makes no ticket (an auto-reply, a bounce, an unknown sender) answers 202 with why.

    Args:
        body (IntakeEmailJsonEmailIn): One inbound email, as an email bot parsed it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboundResult | RawMailResult | Problem | RawMailResult]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: IntakeEmailJsonEmailIn,

) -> InboundResult | RawMailResult | Problem | RawMailResult | None:
    """ An email bot's message

     An email bot's message: new ticket (201), comment on its ticket (201), or a repeat (200).

    JSON (a message the bot parsed), or the raw message as ``message/rfc822``: stored,
    then parsed, screened and processed at once like mail received over SMTP; mail that
    makes no ticket (an auto-reply, a bounce, an unknown sender) answers 202 with why.

    Args:
        body (IntakeEmailJsonEmailIn): One inbound email, as an email bot parsed it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboundResult | RawMailResult | Problem | RawMailResult
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IntakeEmailJsonEmailIn,

) -> Response[InboundResult | RawMailResult | Problem | RawMailResult]:
    """ An email bot's message

     An email bot's message: new ticket (201), comment on its ticket (201), or a repeat (200).

    JSON (a message the bot parsed), or the raw message as ``message/rfc822``: stored,
    then parsed, screened and processed at once like mail received over SMTP; mail that
    makes no ticket (an auto-reply, a bounce, an unknown sender) answers 202 with why.

    Args:
        body (IntakeEmailJsonEmailIn): One inbound email, as an email bot parsed it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboundResult | RawMailResult | Problem | RawMailResult]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: IntakeEmailJsonEmailIn,

) -> InboundResult | RawMailResult | Problem | RawMailResult | None:
    """ An email bot's message

     An email bot's message: new ticket (201), comment on its ticket (201), or a repeat (200).

    JSON (a message the bot parsed), or the raw message as ``message/rfc822``: stored,
    then parsed, screened and processed at once like mail received over SMTP; mail that
    makes no ticket (an auto-reply, a bounce, an unknown sender) answers 202 with why.

    Args:
        body (IntakeEmailJsonEmailIn): One inbound email, as an email bot parsed it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboundResult | RawMailResult | Problem | RawMailResult
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
