"""One API document: the gateway's own routes plus every service's public ``/api/v1`` routes.

Each service serves its OpenAPI only over the internal hop (``x-internal-token``);
the gateway fetches them on first request, keeps a service's document once it got
it, and merges: a path is taken from the service the gateway routes it to (so the
document lists exactly what answers through the gateway), component schemas are
renamed ``<service>.<Name>`` with every ``$ref`` rewritten (no collisions between
services' ``TicketRead``...; the ``Problem`` schema all apps share stays one), a
service path the gateway does not route to that service is listed in
``x-unrouted-paths`` (a test fails on it: add the prefix to ``routing.ROUTES``),
and one bearer security
scheme applies to every operation except the public health and catalogue ones.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx

from gateway.routing import service_for
from shared.auth import HEADER_TOKEN
from shared.logging import get_logger
from shared.web.apidoc import SHARED_SCHEMAS

log = get_logger(__name__)

API_PREFIX = "/api/v1/"
PUBLIC_PATHS = frozenset(
    {"/health/live", "/health/ready", "/asyncapi.json", "/openapi.json", "/docs"}
)
BEARER = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: 'Authorization: Bearer sd_...' (ask an admin for one).",
    }
}
_REF = "#/components/schemas/"


def _renamed(name: str, service: str) -> str:
    """``<service>.<Name>``, except the schemas every app declares alike (one ``Problem``)."""
    return name if name in SHARED_SCHEMAS else f"{service}.{name}"


def _rename_refs(node: Any, service: str) -> Any:
    """A copy of ``node`` with every local schema ``$ref`` pointing at ``<service>.<Name>``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
                out[key] = _REF + _renamed(value[len(_REF) :], service)
            else:
                out[key] = _rename_refs(value, service)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, service) for v in node]
    return node


HTTP_METHODS = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}


def merge(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The gateway's document ``own`` plus the routed ``/api/v1`` paths of ``services``."""
    doc = copy.deepcopy(own)
    paths: dict[str, Any] = doc.setdefault("paths", {})
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    unrouted: list[str] = []
    for service, spec in sorted(services.items()):
        for path, item in spec.get("paths", {}).items():
            if not path.startswith(API_PREFIX):
                continue
            renamed = _rename_refs(item, service)
            routed: dict[str, Any] = {}
            for method, operation in renamed.items():
                if method.upper() not in HTTP_METHODS:
                    routed[method] = operation  # path-level parameters, summary ...
                elif service_for(path[len(API_PREFIX) :], method) != service:
                    # The gateway sends it elsewhere (a path may be split by method).
                    unrouted.append(f"{service} {method.upper()} {path}")
                else:
                    operation["x-service"] = service
                    routed[method] = operation
            if any(m.upper() in HTTP_METHODS for m in routed):
                paths.setdefault(path, {}).update(routed)
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[_renamed(name, service)] = _rename_refs(schema, service)
    if unrouted:
        doc["x-unrouted-paths"] = sorted(unrouted)
    doc["components"]["securitySchemes"] = BEARER
    doc["security"] = [{"bearer": []}]
    for path, item in paths.items():
        if path in PUBLIC_PATHS:
            for operation in item.values():
                if isinstance(operation, dict):
                    operation["security"] = []
    return doc


class ApiDocument:
    """Fetches the services' documents over the internal hop and keeps the ones it got."""

    def __init__(self, clients: dict[str, httpx.AsyncClient], internal_token: str) -> None:
        self._clients = clients
        self._token = internal_token
        self._specs: dict[str, dict[str, Any]] = {}
        self._lock = asyncio.Lock()

    async def _fetch(self, name: str, client: httpx.AsyncClient) -> None:
        try:
            r = await client.get("/openapi.json", headers={HEADER_TOKEN: self._token}, timeout=5)
            if r.status_code == 200:
                self._specs[name] = r.json()
            else:
                log.warning("service OpenAPI unavailable", service=name, status=r.status_code)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("service OpenAPI unavailable", service=name, error=repr(exc))

    async def build(self, own: dict[str, Any]) -> dict[str, Any]:
        """The merged document; services that did not answer are listed in ``x-missing``."""
        async with self._lock:
            missing = [n for n in self._clients if n not in self._specs]
            await asyncio.gather(*(self._fetch(n, self._clients[n]) for n in missing))
        doc = merge(own, self._specs)
        absent = sorted(n for n in self._clients if n not in self._specs)
        if absent:
            doc["x-missing-services"] = absent
        return doc
