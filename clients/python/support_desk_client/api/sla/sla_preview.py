from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.preview_in import PreviewIn
from ...models.problem import Problem
from ...models.sla_preview_response_preview_api_v1_sla_preview_post import SlaPreviewResponsePreviewApiV1SlaPreviewPost
from typing import cast



def _get_kwargs(
    *,
    body: PreviewIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/sla/preview",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost | None:
    if response.status_code == 200:
        response_200 = SlaPreviewResponsePreviewApiV1SlaPreviewPost.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PreviewIn,

) -> Response[Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost]:
    """ Compute a ticket's response and resolution deadlines without storing anything

     Compute a ticket's response and resolution deadlines without storing anything.

    Without a policy in the body, the programme's current one is read from entitlement.

    Args:
        body (PreviewIn): What a ticket's deadlines would be: tier, severity, receipt instant,
            pauses.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost]
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
    body: PreviewIn,

) -> Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost | None:
    """ Compute a ticket's response and resolution deadlines without storing anything

     Compute a ticket's response and resolution deadlines without storing anything.

    Without a policy in the body, the programme's current one is read from entitlement.

    Args:
        body (PreviewIn): What a ticket's deadlines would be: tier, severity, receipt instant,
            pauses.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PreviewIn,

) -> Response[Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost]:
    """ Compute a ticket's response and resolution deadlines without storing anything

     Compute a ticket's response and resolution deadlines without storing anything.

    Without a policy in the body, the programme's current one is read from entitlement.

    Args:
        body (PreviewIn): What a ticket's deadlines would be: tier, severity, receipt instant,
            pauses.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost]
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
    body: PreviewIn,

) -> Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost | None:
    """ Compute a ticket's response and resolution deadlines without storing anything

     Compute a ticket's response and resolution deadlines without storing anything.

    Without a policy in the body, the programme's current one is read from entitlement.

    Args:
        body (PreviewIn): What a ticket's deadlines would be: tier, severity, receipt instant,
            pauses.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SlaPreviewResponsePreviewApiV1SlaPreviewPost
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
