"""Smoke size for the bench scripts: ``--smoke`` (or ``BENCH_SMOKE=1``) shrinks a run to seconds.

A smoke run goes through the same code paths as a measurement and prints the same
figures, at sizes too small for the figures to mean anything; ``make test`` runs every
script so (tests-e2e/test_bench_smoke_*.py), so a refactor that breaks a bench fails CI.
Explicit arguments still win over the smoke sizes.
"""

from __future__ import annotations

import argparse
import os
import sys

FLAG = "--smoke"
ENV = "BENCH_SMOKE"
NOTE = "smoke size: the code paths run, the figures are not measurements"


def requested(argv: list[str] | None = None) -> bool:
    """Tell whether this run is a smoke run: ``--smoke`` among the arguments, or ``BENCH_SMOKE=1``."""
    argv = sys.argv[1:] if argv is None else argv
    return FLAG in argv or os.environ.get(ENV, "") not in ("", "0")


def positional() -> tuple[list[str], bool]:
    """The script's positional arguments without ``--smoke``, and whether it is a smoke run."""
    smoke = requested()
    if smoke:
        print(NOTE, flush=True)
    return [a for a in sys.argv[1:] if a != FLAG], smoke


def parse(parser: argparse.ArgumentParser, **sizes: object) -> argparse.Namespace:
    """Add ``--smoke`` to ``parser`` and parse; a smoke run takes ``sizes`` as its defaults."""
    parser.add_argument(
        FLAG, action="store_true", help=f"a run of seconds that checks the code paths ({ENV}=1)"
    )
    smoke = requested()
    if smoke:
        parser.set_defaults(**sizes)
        print(NOTE, flush=True)
    args = parser.parse_args()
    args.smoke = smoke
    return args
