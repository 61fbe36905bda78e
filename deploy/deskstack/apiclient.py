"""The generated Python client, ``clients/python``, from ``docs/openapi.json`` (``make client``).

``openapi-python-client`` runs from a virtualenv of its own (``.venv/client-gen``,
pinned by ``requirements/client.lock``): it caps httpx below the version the platform
runs, so it cannot share the dev lock. Its output depends on the document and the
generator's version alone (no formatter runs after it), so regenerating into a
temporary directory and comparing tells whether the committed client is stale.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from deskstack.apidoc import DOCUMENT
from deskstack.services import ROOT

CLIENT = ROOT / "clients" / "python"
PACKAGE = "support_desk_client"
CONFIG = ROOT / "clients" / "openapi-python-client.yaml"


def generator() -> Path:
    """The generator's command, in the virtualenv ``make`` creates beside the project's."""
    found = Path(sys.prefix) / "client-gen" / "bin" / "openapi-python-client"
    if not found.exists():
        raise FileNotFoundError(f"{found} is missing: run `make install` (or `make client`)")
    return found


def generate(into: Path, document: Path = DOCUMENT) -> Path:
    """Generate the client package from ``document`` under ``into``; the package's path."""
    target = into / PACKAGE
    env = {**os.environ, "PATH": f"{generator().parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [
            str(generator()),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--config",
            str(CONFIG),
            "--output-path",
            str(target),
            "--overwrite",
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    return target


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two trees (caches ignored)."""
    found: list[str] = []
    compared = filecmp.dircmp(left, right, ignore=["__pycache__"])

    def walk(node: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + n for n in node.left_only + node.right_only)
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        found.extend(prefix + n for n in mismatch + errors)
        for name, sub in node.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(compared, "")
    return sorted(found)


def main(argv: list[str]) -> int:
    """Regenerate ``clients/python`` (or, with ``--check``, exit 1 when it is stale)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        current = CLIENT / PACKAGE
        if "--check" in argv:
            stale = differences(fresh, current) if current.exists() else [str(current)]
            if stale:
                print(f"clients/python is stale ({', '.join(stale[:5])}...): run `make client`")
                return 1
            return 0
        shutil.rmtree(current, ignore_errors=True)
        shutil.copytree(fresh, current)
    print(f"wrote {current}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
