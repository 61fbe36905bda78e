"""The access table (``docs/access-table.yaml``): load it, render it, check routes against it.

One place says who may call each public route. ``docs/access-control.md`` embeds
its rendering (``python -m deskstack.access --write`` regenerates it, a unit
test fails when it is stale); the access-matrix e2e test drives every route of the
gateway's merged OpenAPI document with every role against it; a unit test checks
that each route's one ``require(...)`` admits exactly the roles listed here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from shared.auth import Role

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "access-table.yaml"
DOC = ROOT / "docs" / "access-control.md"
START, END = "<!-- access-table:start -->", "<!-- access-table:end -->"
ROLE_ORDER = (Role.admin, Role.manager, Role.agent, Role.system, Role.customer, Role.bot)
SCOPES = {"own", "staff", "none"}
# Every service's routes module with an APIRouter ``router`` (mounted at /api/v1).
SERVICE_ROUTERS = (
    "intake.api.routes",
    "entitlement.api.routes",
    "entitlement.api.maintenance_routes",
    "sla_clock.api.routes",
    "escalation.api.routes",
    "notification.api.routes",
)


@dataclass(frozen=True)
class Rule:
    """Who may call one route, and whether a customer-bound key is scoped to its customer."""

    roles: frozenset[Role]
    public: bool
    scope: str
    # Served by every service over the internal hop only (the gateway calls it for one of
    # its own routes); not in the gateway's API document, so the access matrix skips it.
    internal: bool = False
    # A browser page the gateway serves (docs/web.md): HTML, not in the API document, so
    # the access matrix skips it; its role check is tested like a gateway route's.
    page: bool = False


Route = tuple[str, str]  # (METHOD, /path)


def load(path: Path = TABLE) -> dict[Route, Rule]:
    """The table, keyed by (method, path)."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text())
    out: dict[Route, Rule] = {}
    for key, entry in raw["routes"].items():
        method, route = key.split(" ", 1)
        public = entry["roles"] == "public"
        if entry["scope"] not in SCOPES:
            raise ValueError(f"{key}: scope must be one of {sorted(SCOPES)}")
        roles = frozenset() if public else frozenset(Role(r) for r in entry["roles"])
        out[(method.upper(), route)] = Rule(
            roles=roles,
            public=public,
            scope=entry["scope"],
            internal=entry.get("internal", False),
            page=entry.get("page", False),
        )
    return out


def render(table: dict[Route, Rule]) -> str:
    """The Markdown table of ``docs/access-control.md``."""
    lines = [
        "| Method | Path | " + " | ".join(ROLE_ORDER) + " | Customer scope |",
        "|---|---|" + "---|" * len(ROLE_ORDER) + "---|",
    ]
    scope_text = {"own": "own customer only", "staff": "—", "none": "no customer data"}
    for (method, path), rule in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        cells = (
            ["public"] * len(ROLE_ORDER)
            if rule.public
            else ["✓" if role in rule.roles else "·" for role in ROLE_ORDER]
        )
        where = " (every service, internal hop only)" if rule.internal else ""
        where = " (browser page)" if rule.page else where
        lines.append(
            f"| {method} | `{path}`{where} | "
            + " | ".join(cells)
            + f" | {scope_text[rule.scope]} |"
        )
    return "\n".join(lines)


def embed(doc: str, table_md: str) -> str:
    """``doc`` with the text between the markers replaced by ``table_md``."""
    head, _, rest = doc.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table_md}\n{END}{tail}"


def service_routes() -> Iterator[tuple[Route, list[Any]]]:
    """Each service route (as the gateway exposes it) with its role-checking dependencies."""
    for module_name in SERVICE_ROUTERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        router = getattr(module, "router", None)
        for route in getattr(router, "routes", []):
            checks = [
                d.call for d in route.dependant.dependencies if hasattr(d.call, "allowed_roles")
            ]
            for method in route.methods:
                yield (method, "/api/v1" + route.path), checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite docs/access-control.md")
    args = parser.parse_args(argv)
    doc = DOC.read_text()
    fresh = embed(doc, render(load()))
    if args.write:
        DOC.write_text(fresh)
        return 0
    if fresh != doc:
        sys.stderr.write("docs/access-control.md is stale: python -m deskstack.access --write\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
