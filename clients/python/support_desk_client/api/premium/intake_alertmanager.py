from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.alertmanager_payload import AlertmanagerPayload
from ...models.alertmanager_result import AlertmanagerResult
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    body: AlertmanagerPayload,
    customer_id: None | Unset | UUID = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    elif isinstance(customer_id, UUID):
        json_customer_id = str(customer_id)
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/intake/alertmanager",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AlertmanagerResult | Problem | None:
    if response.status_code == 200:
        response_200 = AlertmanagerResult.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AlertmanagerResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AlertmanagerPayload,
    customer_id: None | Unset | UUID = UNSET,

) -> Response[AlertmanagerResult | Problem]:
    """ Alertmanager's webhook

     Alertmanager's webhook (v4): firing alerts open or add to tickets, resolved ones comment.

    Args:
        customer_id (None | Unset | UUID):
        body (AlertmanagerPayload): The body of a ``webhook_config`` notification (``version:
            "4"``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertmanagerResult | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
customer_id=customer_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AlertmanagerPayload,
    customer_id: None | Unset | UUID = UNSET,

) -> AlertmanagerResult | Problem | None:
    """ Alertmanager's webhook

     Alertmanager's webhook (v4): firing alerts open or add to tickets, resolved ones comment.

    Args:
        customer_id (None | Unset | UUID):
        body (AlertmanagerPayload): The body of a ``webhook_config`` notification (``version:
            "4"``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertmanagerResult | Problem
     """


    return sync_detailed(
        client=client,
body=body,
customer_id=customer_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AlertmanagerPayload,
    customer_id: None | Unset | UUID = UNSET,

) -> Response[AlertmanagerResult | Problem]:
    """ Alertmanager's webhook

     Alertmanager's webhook (v4): firing alerts open or add to tickets, resolved ones comment.

    Args:
        customer_id (None | Unset | UUID):
        body (AlertmanagerPayload): The body of a ``webhook_config`` notification (``version:
            "4"``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertmanagerResult | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
customer_id=customer_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AlertmanagerPayload,
    customer_id: None | Unset | UUID = UNSET,

) -> AlertmanagerResult | Problem | None:
    """ Alertmanager's webhook

     Alertmanager's webhook (v4): firing alerts open or add to tickets, resolved ones comment.

    Args:
        customer_id (None | Unset | UUID):
        body (AlertmanagerPayload): The body of a ``webhook_config`` notification (``version:
            "4"``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertmanagerResult | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
customer_id=customer_id,

    )).parsed
