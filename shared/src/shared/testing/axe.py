"""axe-core in the browser tests: fetched from the npm registry, run in a page, judged.

Shared by the portal's and the desk's browser tests (``from shared.testing.axe import
assert_accessible``): pytest's importlib mode cannot import a helper module that sits
next to the tests in ``tests-e2e/``.

axe-core is not committed. The first test that needs it runs ``npm pack axe-core@4``
into ``var/cache/axe-core/`` (ignored by git) and takes ``axe.min.js`` out of the
tarball; later runs reuse that file. Override with ``AXE_CORE_JS=/path/to/axe.min.js``
(an offline machine). The pages' Content-Security-Policy forbids inline scripts,
so the script is evaluated through the browser's devtools protocol (which the
policy does not govern) rather than added as a ``<script>`` element.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from playwright.async_api import Page

CACHE = Path(__file__).resolve().parents[4] / "var" / "cache" / "axe-core"
SERIOUS = frozenset({"serious", "critical"})


def axe_source() -> str:
    """The text of ``axe.min.js`` (downloaded once with npm, then cached)."""
    given = os.environ.get("AXE_CORE_JS")
    if given:
        return Path(given).read_text(encoding="utf-8")
    script = CACHE / "axe.min.js"
    if not script.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        packed = (
            subprocess.run(
                ["npm", "pack", "axe-core@4", "--pack-destination", str(CACHE), "--silent"],
                check=True,
                capture_output=True,
                text=True,
                timeout=180,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(CACHE / packed) as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None, "axe-core's package has no axe.min.js"
            script.write_bytes(member.read())
    return script.read_text(encoding="utf-8")


async def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands (WCAG 2.x A/AA)."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    result: dict[str, Any] = await page.evaluate(
        """() => axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                              'best-practice']}
           })"""
    )
    return [v for v in result["violations"] if v.get("impact") in SERIOUS]


def describe(found: list[dict[str, Any]]) -> str:
    """The violations as lines a reader can act on: rule, impact, help, first targets."""
    lines = []
    for v in found:
        targets = [n.get("target") for n in v.get("nodes", [])[:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


async def assert_accessible(page: Page) -> None:
    """No serious or critical accessibility violation on ``page``."""
    found = await violations(page)
    assert not found, f"{page.url}:\n{describe(found)}"
