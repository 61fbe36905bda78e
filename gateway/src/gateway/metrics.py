"""``GET /metrics`` of the gateway: admins only, because the gateway faces the outside.

The services' own ``/metrics`` answer without a key (the scraper is inside the
network, like the health probes); the gateway's figures show who calls what and
how often, which is not for customers or bots (docs/observability.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from gateway.auth import require
from gateway.keys import Principal
from shared.auth import Role
from shared.observability.wiring import metrics_response

Admin = Annotated[Principal, Depends(require(Role.admin))]


async def scrape(request: Request, _: Admin) -> Response:
    """The gateway's metrics in the Prometheus text format."""
    return await metrics_response(request)


def router() -> APIRouter:
    """The gateway's metrics route (in the API document, so the access matrix drives it)."""
    api = APIRouter(tags=["metrics"])
    api.add_api_route(
        "/metrics",
        scrape,
        methods=["GET"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
    )
    return api
