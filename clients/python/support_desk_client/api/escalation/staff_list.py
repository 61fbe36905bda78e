from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.staff_list_role_type_0 import StaffListRoleType0
from ...models.staff_read import StaffRead
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    line: int | None | Unset = UNSET,
    role: None | StaffListRoleType0 | Unset = UNSET,
    active: bool | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_line: int | None | Unset
    if isinstance(line, Unset):
        json_line = UNSET
    else:
        json_line = line
    params["line"] = json_line

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    elif isinstance(role, StaffListRoleType0):
        json_role = role.value
    else:
        json_role = role
    params["role"] = json_role

    json_active: bool | None | Unset
    if isinstance(active, Unset):
        json_active = UNSET
    else:
        json_active = active
    params["active"] = json_active


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/staff",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[StaffRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = StaffRead.from_dict(response_200_item_data)



            response_200.append(response_200_item)

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[StaffRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    role: None | StaffListRoleType0 | Unset = UNSET,
    active: bool | None | Unset = UNSET,

) -> Response[Problem | list[StaffRead]]:
    """ List support staff, optionally by line, role and active flag

     List support staff, optionally by line, role and active flag.

    Args:
        line (int | None | Unset):
        role (None | StaffListRoleType0 | Unset):
        active (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[StaffRead]]
     """


    kwargs = _get_kwargs(
        line=line,
role=role,
active=active,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    role: None | StaffListRoleType0 | Unset = UNSET,
    active: bool | None | Unset = UNSET,

) -> Problem | list[StaffRead] | None:
    """ List support staff, optionally by line, role and active flag

     List support staff, optionally by line, role and active flag.

    Args:
        line (int | None | Unset):
        role (None | StaffListRoleType0 | Unset):
        active (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[StaffRead]
     """


    return sync_detailed(
        client=client,
line=line,
role=role,
active=active,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    role: None | StaffListRoleType0 | Unset = UNSET,
    active: bool | None | Unset = UNSET,

) -> Response[Problem | list[StaffRead]]:
    """ List support staff, optionally by line, role and active flag

     List support staff, optionally by line, role and active flag.

    Args:
        line (int | None | Unset):
        role (None | StaffListRoleType0 | Unset):
        active (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[StaffRead]]
     """


    kwargs = _get_kwargs(
        line=line,
role=role,
active=active,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    line: int | None | Unset = UNSET,
    role: None | StaffListRoleType0 | Unset = UNSET,
    active: bool | None | Unset = UNSET,

) -> Problem | list[StaffRead] | None:
    """ List support staff, optionally by line, role and active flag

     List support staff, optionally by line, role and active flag.

    Args:
        line (int | None | Unset):
        role (None | StaffListRoleType0 | Unset):
        active (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[StaffRead]
     """


    return (await asyncio_detailed(
        client=client,
line=line,
role=role,
active=active,

    )).parsed
