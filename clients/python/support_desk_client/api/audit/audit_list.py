from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    *,
    key_id: None | Unset | UUID = UNSET,
    role: None | str | Unset = UNSET,
    method: None | str | Unset = UNSET,
    path_prefix: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    request_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    cursor: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_key_id: None | str | Unset
    if isinstance(key_id, Unset):
        json_key_id = UNSET
    elif isinstance(key_id, UUID):
        json_key_id = str(key_id)
    else:
        json_key_id = key_id
    params["key_id"] = json_key_id

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    else:
        json_role = role
    params["role"] = json_role

    json_method: None | str | Unset
    if isinstance(method, Unset):
        json_method = UNSET
    else:
        json_method = method
    params["method"] = json_method

    json_path_prefix: None | str | Unset
    if isinstance(path_prefix, Unset):
        json_path_prefix = UNSET
    else:
        json_path_prefix = path_prefix
    params["path_prefix"] = json_path_prefix

    json_target_id: None | str | Unset
    if isinstance(target_id, Unset):
        json_target_id = UNSET
    else:
        json_target_id = target_id
    params["target_id"] = json_target_id

    json_request_id: None | str | Unset
    if isinstance(request_id, Unset):
        json_request_id = UNSET
    else:
        json_request_id = request_id
    params["request_id"] = json_request_id

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.datetime):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    elif isinstance(cursor, UUID):
        json_cursor = str(cursor)
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/audit",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    key_id: None | Unset | UUID = UNSET,
    role: None | str | Unset = UNSET,
    method: None | str | Unset = UNSET,
    path_prefix: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    request_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    cursor: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,

) -> Response[AuditPage | Problem]:
    """ Audit entries of every service

     Audit entries of every service, newest first; follow ``next_cursor`` for older ones.

    503 naming the service when one cannot be read (never a partial page).

    Args:
        key_id (None | Unset | UUID):
        role (None | str | Unset):
        method (None | str | Unset):
        path_prefix (None | str | Unset):
        target_id (None | str | Unset):
        request_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        cursor (None | Unset | UUID): next_cursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
     """


    kwargs = _get_kwargs(
        key_id=key_id,
role=role,
method=method,
path_prefix=path_prefix,
target_id=target_id,
request_id=request_id,
since=since,
until=until,
cursor=cursor,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    key_id: None | Unset | UUID = UNSET,
    role: None | str | Unset = UNSET,
    method: None | str | Unset = UNSET,
    path_prefix: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    request_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    cursor: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,

) -> AuditPage | Problem | None:
    """ Audit entries of every service

     Audit entries of every service, newest first; follow ``next_cursor`` for older ones.

    503 naming the service when one cannot be read (never a partial page).

    Args:
        key_id (None | Unset | UUID):
        role (None | str | Unset):
        method (None | str | Unset):
        path_prefix (None | str | Unset):
        target_id (None | str | Unset):
        request_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        cursor (None | Unset | UUID): next_cursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
     """


    return sync_detailed(
        client=client,
key_id=key_id,
role=role,
method=method,
path_prefix=path_prefix,
target_id=target_id,
request_id=request_id,
since=since,
until=until,
cursor=cursor,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    key_id: None | Unset | UUID = UNSET,
    role: None | str | Unset = UNSET,
    method: None | str | Unset = UNSET,
    path_prefix: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    request_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    cursor: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,

) -> Response[AuditPage | Problem]:
    """ Audit entries of every service

     Audit entries of every service, newest first; follow ``next_cursor`` for older ones.

    503 naming the service when one cannot be read (never a partial page).

    Args:
        key_id (None | Unset | UUID):
        role (None | str | Unset):
        method (None | str | Unset):
        path_prefix (None | str | Unset):
        target_id (None | str | Unset):
        request_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        cursor (None | Unset | UUID): next_cursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
     """


    kwargs = _get_kwargs(
        key_id=key_id,
role=role,
method=method,
path_prefix=path_prefix,
target_id=target_id,
request_id=request_id,
since=since,
until=until,
cursor=cursor,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    key_id: None | Unset | UUID = UNSET,
    role: None | str | Unset = UNSET,
    method: None | str | Unset = UNSET,
    path_prefix: None | str | Unset = UNSET,
    target_id: None | str | Unset = UNSET,
    request_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
    cursor: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,

) -> AuditPage | Problem | None:
    """ Audit entries of every service

     Audit entries of every service, newest first; follow ``next_cursor`` for older ones.

    503 naming the service when one cannot be read (never a partial page).

    Args:
        key_id (None | Unset | UUID):
        role (None | str | Unset):
        method (None | str | Unset):
        path_prefix (None | str | Unset):
        target_id (None | str | Unset):
        request_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        until (datetime.datetime | None | Unset):
        cursor (None | Unset | UUID): next_cursor of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
     """


    return (await asyncio_detailed(
        client=client,
key_id=key_id,
role=role,
method=method,
path_prefix=path_prefix,
target_id=target_id,
request_id=request_id,
since=since,
until=until,
cursor=cursor,
limit=limit,

    )).parsed
