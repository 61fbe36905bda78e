"""``/api/v1/api-keys``: issue, list, read, rotate and revoke keys (admin only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

import httpx
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.adapters.keys import KeyStore
from gateway.auth import require
from gateway.keys import Principal
from shared.auth import CUSTOMER_ROLES, Role, system_principal_headers
from shared.errors import NotFound, ServiceUnavailable, Unprocessable

Admin = Annotated[Principal, Depends(require(Role.admin))]


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
    role: Role
    customer_id: UUID | None = Field(
        default=None, description="Required for customer and bot keys; refused for staff keys"
    )

    @model_validator(mode="after")
    def _binding(self) -> ApiKeyCreate:
        if self.role in CUSTOMER_ROLES and self.customer_id is None:
            raise ValueError(f"a {self.role} key must be bound to a customer: give customer_id")
        if self.role not in CUSTOMER_ROLES and self.customer_id is not None:
            raise ValueError(f"a {self.role} key acts for the vendor: omit customer_id")
        return self


class ApiKeyRead(BaseModel):
    id: UUID
    name: str
    prefix: str = Field(description="The key's visible start, to tell keys apart")
    role: Role
    customer_id: UUID | None
    created_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most once a minute")
    rotated_at: datetime | None
    previous_valid_until: datetime | None = Field(description="End of the old secret's grace")
    revoked_at: datetime | None


class ApiKeyCreated(BaseModel):
    id: UUID
    name: str
    role: Role
    customer_id: UUID | None
    key: str = Field(description="Shown once; store it now")


class ApiKeyRotate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_seconds: int | None = Field(
        default=None, ge=0, le=30 * 86400, description="How long the old secret stays valid"
    )


class ApiKeyRotated(BaseModel):
    id: UUID
    key: str = Field(description="The new secret; shown once")
    previous_valid_until: datetime


async def _customer_exists(request: Request, customer_id: UUID) -> None:
    """422 unless entitlement knows the customer a key is to be bound to."""
    client: httpx.AsyncClient = request.app.state.clients["entitlement"]
    settings = request.app.state.settings
    try:
        r = await client.get(
            f"/api/v1/customers/{customer_id}",
            headers=system_principal_headers("gateway", settings.internal_token),
        )
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(
            "Cannot check the customer now (entitlement unavailable); retry shortly.",
            service="entitlement",
        ) from exc
    if r.status_code == 404:
        raise Unprocessable(
            f"No customer {customer_id}; bind the key to an existing customer.",
            slug="validation-error",
            errors=[{"field": "body.customer_id", "message": "no such customer", "type": "value"}],
        )
    if r.status_code >= 400:
        raise ServiceUnavailable(
            f"Cannot check the customer now (entitlement answered {r.status_code}).",
            service="entitlement",
        )


def _store(request: Request) -> KeyStore:
    keys: KeyStore = request.app.state.keys
    return keys


async def create_key(body: ApiKeyCreate, request: Request, _: Admin) -> ApiKeyCreated:
    """Issue an API key; customer and bot keys are bound to a customer. Shown once."""
    if body.customer_id is not None:
        await _customer_exists(request, body.customer_id)
    key, key_id = await _store(request).create(
        name=body.name, role=body.role, customer_id=body.customer_id
    )
    return ApiKeyCreated(
        id=key_id, name=body.name, role=body.role, customer_id=body.customer_id, key=key
    )


async def list_keys(
    request: Request,
    _: Admin,
    include_revoked: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[ApiKeyRead]:
    """Keys newest first, without secrets; ``include_revoked=true`` shows revoked ones."""
    rows = await _store(request).list(include_revoked=include_revoked, limit=limit, offset=offset)
    return [ApiKeyRead.model_validate(r) for r in rows]


async def get_key(key_id: UUID, request: Request, _: Admin) -> ApiKeyRead:
    """One key, without its secret."""
    row = await _store(request).get(key_id)
    if row is None:
        raise NotFound(f"No API key {key_id}.")
    return ApiKeyRead.model_validate(row)


async def rotate_key(
    key_id: UUID, request: Request, _: Admin, body: ApiKeyRotate | None = None
) -> ApiKeyRotated:
    """A new secret; the old one keeps working for the grace period (default: settings)."""
    seconds = body.grace_seconds if body and body.grace_seconds is not None else None
    grace = timedelta(
        seconds=request.app.state.settings.rotation_grace_seconds if seconds is None else seconds
    )
    rotated = await _store(request).rotate(key_id, grace=grace)
    if rotated is None:
        raise NotFound(f"No active API key {key_id}.")
    return ApiKeyRotated(id=key_id, key=rotated[0], previous_valid_until=rotated[1])


async def revoke_key(key_id: UUID, request: Request, _: Admin) -> Response:
    """Revoke a key at once (its rotated-out secret too)."""
    if not await _store(request).revoke(key_id):
        raise NotFound(f"No active API key {key_id}.")
    return Response(status_code=204)


def router() -> APIRouter:
    """The API-key routes (admin only): issue, list, read, rotate, revoke."""
    api = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])
    api.post("", status_code=201)(create_key)
    api.get("")(list_keys)
    api.get("/{key_id}")(get_key)
    api.post("/{key_id}/rotation")(rotate_key)
    api.delete("/{key_id}", status_code=204)(revoke_key)
    return api
