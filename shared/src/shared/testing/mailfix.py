"""Rewrite headers of a real ``.eml`` fixture at the byte level, for tests that send it.

The fixtures (services/intake/tests/fixtures/mail/) are real messages with fixed values;
a test that needs a fresh Message-ID or a sender it registered replaces those headers and
keeps every other byte (the body's charset and transfer encoding) exactly as recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[4] / "services/intake/tests/fixtures/mail"


def fixture(name: str) -> bytes:
    """The bytes of one fixture message."""
    return (FIXTURES / name).read_bytes()


def rewrite_headers(raw: bytes, replace: Mapping[str, str | None]) -> bytes:
    """``raw`` with each named header's value replaced (None: removed; absent: added).

    Only the top-level header block is touched (a quoted original inside a bounce keeps
    its own headers); folded continuation lines go with their header.
    """
    newline = b"\r\n" if b"\r\n" in raw[:2000] else b"\n"
    head, sep, body = raw.partition(newline + newline)
    lines = head.split(newline)
    wanted = {name.lower(): value for name, value in replace.items()}
    names = set(wanted)
    out: list[bytes] = []
    skipping = False
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                out.append(line)
            continue
        name = line.split(b":", 1)[0].decode("ascii", "replace").strip().lower()
        skipping = name in names  # a repeated header (a second Received) goes too
        if not skipping:
            out.append(line)
            continue
        value = wanted.pop(name, None)
        if value is not None:
            out.append(f"{line.split(b':', 1)[0].decode()}: {value}".encode())
    for name, value in wanted.items():
        if value is not None:
            out.insert(0, f"{name.title()}: {value}".encode())
    return newline.join(out) + (sep or newline + newline) + body
