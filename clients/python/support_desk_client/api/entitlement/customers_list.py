from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.customer_page import CustomerPage
from ...models.customers_list_tier_type_0 import CustomersListTierType0
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    name: None | str | Unset = UNSET,
    tier: CustomersListTierType0 | None | Unset = UNSET,
    product: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_name: None | str | Unset
    if isinstance(name, Unset):
        json_name = UNSET
    else:
        json_name = name
    params["name"] = json_name

    json_tier: None | str | Unset
    if isinstance(tier, Unset):
        json_tier = UNSET
    elif isinstance(tier, CustomersListTierType0):
        json_tier = tier.value
    else:
        json_tier = tier
    params["tier"] = json_tier

    json_product: None | str | Unset
    if isinstance(product, Unset):
        json_product = UNSET
    else:
        json_product = product
    params["product"] = json_product


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/customers",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomerPage | Problem | None:
    if response.status_code == 200:
        response_200 = CustomerPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CustomerPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    name: None | str | Unset = UNSET,
    tier: CustomersListTierType0 | None | Unset = UNSET,
    product: None | str | Unset = UNSET,

) -> Response[CustomerPage | Problem]:
    """ List customers

     List customers, oldest first, with limit/offset paging and filters.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        name (None | str | Unset): Part of the name
        tier (CustomersListTierType0 | None | Unset): Effective tier now
        product (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerPage | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
name=name,
tier=tier,
product=product,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    name: None | str | Unset = UNSET,
    tier: CustomersListTierType0 | None | Unset = UNSET,
    product: None | str | Unset = UNSET,

) -> CustomerPage | Problem | None:
    """ List customers

     List customers, oldest first, with limit/offset paging and filters.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        name (None | str | Unset): Part of the name
        tier (CustomersListTierType0 | None | Unset): Effective tier now
        product (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerPage | Problem
     """


    return sync_detailed(
        client=client,
limit=limit,
offset=offset,
name=name,
tier=tier,
product=product,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    name: None | str | Unset = UNSET,
    tier: CustomersListTierType0 | None | Unset = UNSET,
    product: None | str | Unset = UNSET,

) -> Response[CustomerPage | Problem]:
    """ List customers

     List customers, oldest first, with limit/offset paging and filters.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        name (None | str | Unset): Part of the name
        tier (CustomersListTierType0 | None | Unset): Effective tier now
        product (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerPage | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
name=name,
tier=tier,
product=product,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    name: None | str | Unset = UNSET,
    tier: CustomersListTierType0 | None | Unset = UNSET,
    product: None | str | Unset = UNSET,

) -> CustomerPage | Problem | None:
    """ List customers

     List customers, oldest first, with limit/offset paging and filters.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        name (None | str | Unset): Part of the name
        tier (CustomersListTierType0 | None | Unset): Effective tier now
        product (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerPage | Problem
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
offset=offset,
name=name,
tier=tier,
product=product,

    )).parsed
