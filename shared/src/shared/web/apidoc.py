"""What each operation of an app's OpenAPI document says to a client developer.

FastAPI's defaults name an operation after its function, path and method
(``create_ticket_api_v1_tickets_post``): a generated client turns that into an
unusable method name, and a rename of the function silently changes it. So every
operation gets, from its route:

- an ``operationId`` derived from the path and the method, ``<resources>.<verb>``
  (``/api/v1/customers/{customer_id}/contracts`` GET -> ``customers.contracts.list``);
  the actions (``tickets.transition``) and singular sub-resources are named in
  :data:`NAMED_OPERATIONS`, and a route declared with ``operation_id=`` keeps it;
- a summary: the route's own, else the first line of its docstring;
- the problem answers it can give (``application/problem+json``, one shared
  ``Problem`` schema), from what the route is: authenticated (401, 403, 429), with
  path parameters (404), state-changing (400, 409), with a body (413), with any
  input (422), behind the gateway (503);
- an example for each JSON request body: the model's own (``json_schema_extra``),
  else one built from its schema (formats, bounds, enums and defaults respected).

``docs/api.md`` has the scheme. New routes get all of this without a table to edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

PROBLEM_JSON = "application/problem+json"
PROBLEM_SCHEMA = "Problem"
API_PREFIX = "/api/v1/"
# Schemas every app declares alike: the merged document keeps one of each (gateway.openapi).
SHARED_SCHEMAS = frozenset({PROBLEM_SCHEMA, "ProblemField"})
OPERATION_ID = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_VERBS = {"POST": "create", "PUT": "replace", "PATCH": "update", "DELETE": "delete"}
_V1 = API_PREFIX
# Named by hand: the paths outside /api/v1 (few, fixed, not resources), the actions (a POST
# that does something to its parent rather than adding to a collection) and the singular
# sub-resources (a GET of ``.../calendar`` reads one thing, not a list). A route declared
# with ``operation_id=`` names itself instead; every other route's name is derived.
NAMED_OPERATIONS: dict[tuple[str, str], str] = {
    ("GET", "/health/live"): "health.live",
    ("GET", "/health/ready"): "health.ready",
    ("GET", "/asyncapi.json"): "events.catalogue",
    ("GET", "/metrics"): "metrics.scrape",
    ("GET", _V1 + "stream"): "events.stream",
    ("POST", _V1 + "api-keys/{key_id}/rotation"): "api_keys.rotate",
    ("GET", _V1 + "customers/{customer_id}/calendar"): "customers.calendar.get",
    ("PUT", _V1 + "customers/{customer_id}/calendar"): "customers.calendar.set",
    ("GET", _V1 + "customers/{customer_id}/entitlement"): "customers.entitlement.get",
    ("POST", _V1 + "customers/{customer_id}/contacts/{contact_id}/deactivate"): (
        "customers.contacts.deactivate"
    ),
    ("POST", _V1 + "customers/{customer_id}/maintenance/occurrences/{key}/move"): (
        "customers.maintenance.occurrences.move"
    ),
    ("POST", _V1 + "customers/{customer_id}/maintenance/occurrences/{key}/skip"): (
        "customers.maintenance.occurrences.skip"
    ),
    ("GET", _V1 + "entitlements"): "entitlements.lookup",
    ("POST", _V1 + "escalations/{escalation_id}/acknowledge"): "escalations.acknowledge",
    ("POST", _V1 + "change-requests/{ticket_id}/steps"): "change_requests.advance",
    ("POST", _V1 + "intake/alertmanager"): "intake.alertmanager",
    ("POST", _V1 + "intake/chat"): "intake.chat",
    ("POST", _V1 + "intake/email"): "intake.email",
    ("POST", _V1 + "intake/web-form"): "intake.web_form",
    ("POST", _V1 + "sla/preview"): "sla.preview",
    ("POST", _V1 + "sla/simulate"): "sla.simulate",
    ("POST", _V1 + "sla/rebuild"): "sla.rebuild",
    ("GET", _V1 + "sla/report"): "sla.report",
    ("POST", _V1 + "sla/tickets/{ticket_id}/rebuild"): "sla.tickets.rebuild",
    ("POST", _V1 + "tickets/{ticket_id}/transitions"): "tickets.transition",
    ("POST", _V1 + "tickets/{ticket_id}/assignment"): "tickets.assign",
    ("POST", _V1 + "tickets/{ticket_id}/escalations"): "tickets.escalate",
    ("POST", _V1 + "tickets/{ticket_id}/severity"): "tickets.change_severity",
    ("POST", _V1 + "tickets/{ticket_id}/hardware-fault"): "tickets.mark_hardware_fault",
    ("POST", _V1 + "tickets/{ticket_id}/remote-access"): "tickets.set_remote_access",
    ("POST", _V1 + "tickets/{ticket_id}/phone-confirmation"): "tickets.confirm_by_phone",
    ("GET", _V1 + "tickets/{ticket_id}/sla"): "tickets.sla.get",
    ("GET", _V1 + "tickets/{ticket_id}/sla/explain"): "tickets.sla.explain",
    ("POST", _V1 + "tickets/{ticket_id}/visits/{visit_id}/steps"): "tickets.visits.advance",
}

_DESCRIPTIONS = {
    400: "A rule of the programme refuses the request (the detail says which).",
    401: "No API key, a malformed one, or one unknown, revoked or expired.",
    403: "The key's role may not call this route (``allowed_roles`` lists who may).",
    404: "No such resource, or one this key may not see (another customer's).",
    409: "The resource's state does not allow this now (lifecycle, limits, a duplicate).",
    413: "The body is larger than the gateway accepts for this route.",
    422: "The input is invalid; ``errors`` names each field and what is wrong with it.",
    429: "The key's rate limit is spent; retry after ``Retry-After`` seconds.",
    503: "A service or the database is unavailable; nothing was done, retry shortly.",
}

PROBLEM_COMPONENTS: dict[str, Any] = {
    PROBLEM_SCHEMA: {
        "title": "Problem",
        "description": "An RFC 9457 problem: ``type`` is stable; ``title`` and ``detail`` "
        "follow Accept-Language (English or Russian).",
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "example": "/problems/validation-error"},
            "title": {"type": "string", "example": "Invalid request"},
            "status": {"type": "integer", "example": 422},
            "detail": {"type": "string"},
            "instance": {"type": "string", "example": "/api/v1/tickets"},
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ProblemField"},
            },
            "allowed_roles": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": True,
    },
    "ProblemField": {
        "title": "ProblemField",
        "description": "One invalid input: where it is (``body.severity``) and what is wrong.",
        "type": "object",
        "required": ["field", "message", "type"],
        "properties": {
            "field": {"type": "string", "example": "body.severity"},
            "message": {"type": "string"},
            "type": {"type": "string", "example": "enum"},
        },
    },
}


def operation_id(method: str, path: str) -> str:
    """``<resources>.<verb>`` for ``method path``: literal segments name the resource.

    GET of a path ending in a parameter is ``get``, of a collection ``list``; the
    other methods are ``create``, ``replace``, ``update`` and ``delete``.
    """
    method = method.upper()
    fixed = NAMED_OPERATIONS.get((method, path))
    if fixed:
        return fixed
    segments = [s for s in path.removeprefix(API_PREFIX).strip("/").split("/") if s]
    names = [_snake(s) for s in segments if not s.startswith("{")]
    item = bool(segments) and segments[-1].startswith("{")
    verb = ("get" if item else "list") if method == "GET" else _VERBS.get(method, method.lower())
    return ".".join([*names, verb])


def _snake(segment: str) -> str:
    return re.sub(r"[^a-z]+", "_", segment.lower()).strip("_")


def _dependency_calls(dependant: Dependant) -> Iterable[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependency_calls(sub)


def _authenticated(route: Any) -> bool:
    """Whether the route checks a caller: a role dependency or the gateway's key check."""
    for call in _dependency_calls(route.dependant):
        if hasattr(call, "allowed_roles") or getattr(call, "__name__", "") in {
            "authenticate",
            "principal_from",
            "internal_only",
        }:
            return True
    return False


def problem_statuses(route: Any, method: str, operation: dict[str, Any]) -> list[int]:
    """The problem answers ``method`` on ``route`` can give, from what the route is.

    The inputs are read from the operation FastAPI documented (it has gathered the
    parameters of every dependency), the callers from the route's dependencies.
    """
    statuses: set[int] = set()
    has_body = "requestBody" in operation
    places = {p.get("in") for p in operation.get("parameters", [])}
    authenticated = _authenticated(route)
    if authenticated:
        statuses |= {401, 403}
    if route.path_format.startswith(API_PREFIX):
        statuses |= {429, 503} if authenticated else {503}
    if "path" in places:
        statuses.add(404)
    if method in _STATE_CHANGING:
        statuses |= {400, 409}
    if has_body:
        statuses.add(413)
    if has_body or places:
        statuses.add(422)
    return sorted(statuses)


def _summary(route: Any, generated: str | None) -> str:
    if route.summary:
        return str(route.summary)
    doc = (route.endpoint.__doc__ or "").strip()
    if doc:
        first = doc.splitlines()[0].replace("``", "").strip().rstrip(".")
        if len(first) > 60:  # the rest stays in the description
            first = re.split(r"; | \(|: |, ", first, maxsplit=1)[0]
        return first
    return generated or route.name.replace("_", " ").capitalize()


def annotate(doc: dict[str, Any], routes: Iterable[Any]) -> dict[str, Any]:
    """Fill ``doc`` (FastAPI's document of ``routes``) with ids, summaries, problems, examples."""
    components = doc.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    for context in iter_route_contexts(list(routes)):
        if not isinstance(context.original_route, APIRoute) or not context.include_in_schema:
            continue
        route: Any = context  # the route as included (prefix, the router's dependencies)
        item = doc.get("paths", {}).get(route.path_format, {})
        for method in sorted(route.methods):
            operation = item.get(method.lower())
            if operation is None:
                continue
            if not route.operation_id:
                operation["operationId"] = operation_id(method, route.path_format)
            operation["summary"] = _summary(route, operation.get("summary"))
            _declare_problems(operation, problem_statuses(route, method, operation))
            _add_example(operation, schemas)
    schemas.update(PROBLEM_COMPONENTS)
    _drop_unused(schemas, doc, ("HTTPValidationError", "ValidationError"))
    return doc


def _declare_problems(operation: dict[str, Any], statuses: list[int]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    ref = {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}
    for status in statuses:
        own = responses.get(str(status))
        if own is None or status == 422:  # FastAPI's own 422 is replaced by the Problem
            own = responses[str(status)] = {"description": _DESCRIPTIONS[status]}
        # A route's own description of the status (what its 409 means) stays.
        own.setdefault("content", {})[PROBLEM_JSON] = {"schema": ref}


def _add_example(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        if "example" in media or "examples" in media:
            continue
        media["example"] = example_of(media.get("schema", {}), schemas)


def _drop_unused(schemas: dict[str, Any], doc: dict[str, Any], names: Iterable[str]) -> None:
    text = repr(doc.get("paths", {}))
    for name in names:
        if f"#/components/schemas/{name}'" not in text:
            schemas.pop(name, None)


_FORMATS = {
    "email": "ivan@acme.example",
    "date": "2027-12-31",
    "date-time": "2026-12-07T09:00:00+03:00",
    "time": "09:00:00",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://hooks.acme.example/desk",
    "duration": "PT1H",
    "ipvanyaddress": "192.0.2.10",
}
# A string field's example by its name, when its schema gives no format or example.
_BY_NAME = {
    "url": "https://hooks.acme.example/desk",
    "email": "ivan@acme.example",
    "contact_email": "ivan@acme.example",
    "name": "Acme",
    "subject": "Posting fails",
    "description": "Posting an invoice ends with error E-1042.",
    "body": "The posting works again after the patch.",
    "reason": "The customer asked for it.",
    "title": "Posting fails with E-1042",
    "summary": "Applied patch 3.2.1",
    "product": "ledger",
    "version": "3.2.1",
    "address": "Moscow, Tverskaya 1",
    "assignee": "engineer@vendor.example",
    "message_id": "<m1@acme.example>",
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
    "starts_at": "2026-12-07T09:00:00+03:00",
    "ends_at": "2026-12-07T18:00:00+03:00",
}


def example_of(
    schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0, name: str = ""
) -> Any:
    """A value valid for ``schema`` (``$ref`` into ``schemas``): its own example first."""
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return example_of(schemas[ref.rsplit("/", 1)[1]], schemas, depth, name)
    for key in ("examples", "example", "default", "const"):
        if key in schema and schema[key] is not None:
            value = schema[key]
            return value[0] if key == "examples" and isinstance(value, list) and value else value
    if schema.get("enum"):
        return schema["enum"][0]
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if options:
        chosen = [o for o in options if o.get("type") != "null"] or options
        return example_of(chosen[0], schemas, depth + 1, name)
    return _typed_example(schema, schemas, depth, name)


def _typed_example(
    schema: dict[str, Any], schemas: dict[str, Any], depth: int, name: str = ""
) -> Any:
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props: dict[str, Any] = schema.get("properties", {})
        if schema.get("required"):
            return {
                k: example_of(props[k], schemas, depth + 1, k)
                for k in schema["required"]
                if k in props
            }
        # Nothing required (a patch): show one plain field, the way such a call is made.
        for key, prop in props.items():
            value = example_of(prop, schemas, depth + 1, key) if depth == 0 else None
            if isinstance(value, (str, int, float, bool)):
                return {key: value}
        return {}
    if kind == "array":
        return [example_of(schema.get("items", {}), schemas, depth + 1)] * max(
            1, int(schema.get("minItems", 1))
        )
    if kind == "integer":
        return int(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
    if kind == "number":
        return float(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    text = _BY_NAME.get(name) or _FORMATS.get(str(schema.get("format")), "text")
    return text.ljust(int(schema.get("minLength", 0)), "x")[: schema.get("maxLength", 10_000)]


def describe_operations(app: FastAPI) -> None:
    """Make ``app.openapi()`` return its document annotated.

    FastAPI caches the document and rebuilds it when routes are added; each document it
    builds is annotated once.
    """
    generate = app.openapi
    described: list[int] = []

    def openapi() -> dict[str, Any]:
        doc = generate()
        if described[-1:] != [id(doc)]:
            app.openapi_schema = doc = annotate(doc, app.routes)
            described[:] = [id(doc)]
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
