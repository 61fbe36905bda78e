"""The committed API document, ``docs/openapi.json``, built in-process (``make openapi``).

The gateway serves the same document at run time, merging what each service
answers over the internal hop (``gateway.openapi``). Here every app is built
(nothing connects: apps connect in their lifespan, which is not started) and
their documents merged by the same code, so the file equals what a running
platform serves, and needs no database, broker or port.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from deskstack.services import ROOT, SERVICES

DOCUMENT = ROOT / "docs" / "openapi.json"


def build() -> dict[str, Any]:
    """The merged document of the gateway and every service, as the gateway would serve it."""
    from gateway.openapi import merge

    documents: dict[str, dict[str, Any]] = {}
    own: dict[str, Any] = {}
    for spec in SERVICES:
        app = importlib.import_module(f"{spec.module}.app").create_app()
        if spec.name == "gateway":
            own = app.openapi()
        else:
            documents[spec.name] = app.openapi()
    return merge(own, documents)


def render(document: dict[str, Any]) -> str:
    """The file's text: sorted keys and two-space indents, so a diff shows what changed."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write the document (or, with ``--check``, exit 1 when the committed one is stale)."""
    target = Path(argv[argv.index("-o") + 1]) if "-o" in argv else DOCUMENT
    text = render(build())
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
