from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.tier import Tier
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    *,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    customer: None | Unset | UUID = UNSET,
    tier: None | Tier | Unset = UNSET,
    format_: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = accept



    

    params: dict[str, Any] = {}

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_customer: None | str | Unset
    if isinstance(customer, Unset):
        json_customer = UNSET
    elif isinstance(customer, UUID):
        json_customer = str(customer)
    else:
        json_customer = customer
    params["customer"] = json_customer

    json_tier: None | str | Unset
    if isinstance(tier, Unset):
        json_tier = UNSET
    elif isinstance(tier, Tier):
        json_tier = tier.value
    else:
        json_tier = tier
    params["tier"] = json_tier

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    else:
        json_format_ = format_
    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/sla/report",
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
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    customer: None | Unset | UUID = UNSET,
    tier: None | Tier | Unset = UNSET,
    format_: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Compliance per tier and severity

     Compliance per tier and severity, as JSON or CSV (``format=csv`` or Accept: text/csv).

    Args:
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        customer (None | Unset | UUID):
        tier (None | Tier | Unset):
        format_ (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        from_=from_,
to=to,
customer=customer,
tier=tier,
format_=format_,
accept=accept,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    customer: None | Unset | UUID = UNSET,
    tier: None | Tier | Unset = UNSET,
    format_: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Compliance per tier and severity

     Compliance per tier and severity, as JSON or CSV (``format=csv`` or Accept: text/csv).

    Args:
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        customer (None | Unset | UUID):
        tier (None | Tier | Unset):
        format_ (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
from_=from_,
to=to,
customer=customer,
tier=tier,
format_=format_,
accept=accept,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    customer: None | Unset | UUID = UNSET,
    tier: None | Tier | Unset = UNSET,
    format_: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Compliance per tier and severity

     Compliance per tier and severity, as JSON or CSV (``format=csv`` or Accept: text/csv).

    Args:
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        customer (None | Unset | UUID):
        tier (None | Tier | Unset):
        format_ (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        from_=from_,
to=to,
customer=customer,
tier=tier,
format_=format_,
accept=accept,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    customer: None | Unset | UUID = UNSET,
    tier: None | Tier | Unset = UNSET,
    format_: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Compliance per tier and severity

     Compliance per tier and severity, as JSON or CSV (``format=csv`` or Accept: text/csv).

    Args:
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        customer (None | Unset | UUID):
        tier (None | Tier | Unset):
        format_ (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
from_=from_,
to=to,
customer=customer,
tier=tier,
format_=format_,
accept=accept,

    )).parsed
