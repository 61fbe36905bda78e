"""The command line every service shares: ``python -m <service> {api,migrate}``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared.db import run_migrations
from shared.settings import ServiceSettings


def main(
    *,
    prog: str,
    settings_class: type[ServiceSettings],
    create_app: Callable[[Any], Any],
    migrations: Path,
    schema: str,
    argv: list[str] | None = None,
) -> None:
    """Run the API server (with its consumer and relay) or the migrations."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("command", choices=["api", "migrate"], nargs="?", default="api")
    args = parser.parse_args(argv)
    settings = settings_class()
    if args.command == "migrate":
        run_migrations(script_location=migrations, url=settings.database.url, schema=schema)
        return
    import uvicorn

    app = create_app(settings)
    # Build the OpenAPI document before serving (FastAPI caches it): the gateway fetches
    # it with a short timeout, and the larger services take seconds to build it on a
    # loaded host, which left them out of the merged document.
    app.openapi()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=10,
        access_log=False,
        # A header block larger than this is refused by the HTTP parser itself (h11).
        h11_max_incomplete_event_size=64 * 1024,
    )
