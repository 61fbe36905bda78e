"""The metric names a PromQL expression reads: what dashboard and alert tests check.

A small tokenizer, not a parser (no PromQL parser is packaged for Python here): it
drops what cannot hold a metric name (strings, label matchers, range and subquery
brackets, ``by (...)``-like label lists, ``offset`` durations), then keeps each
identifier that is not a function call, a keyword or a number. Enough for the
expressions this repository writes; a construct it does not know shows up as an
unknown name, so a test fails loudly rather than passing a query it misread.
"""

from __future__ import annotations

import re

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^}]*\}")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_LABEL_LISTS = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_OFFSET = re.compile(r"\boffset\s+-?[0-9a-z]+")
_IDENTIFIER = re.compile(r"(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?")
_KEYWORDS = {
    "and", "or", "unless", "bool", "by", "without", "on", "ignoring",
    "group_left", "group_right", "offset", "inf", "nan", "atan2",
}  # fmt: skip
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def metric_names(expr: str) -> set[str]:
    """Every metric name ``expr`` selects (``rate(x_total[5m])`` gives ``{"x_total"}``)."""
    text = _STRINGS.sub('""', expr)
    for pattern in (_MATCHERS, _BRACKETS, _LABEL_LISTS, _OFFSET):
        text = pattern.sub(" ", text)
    names = set()
    for match in _IDENTIFIER.finditer(text):
        word, call = match.group(1), match.group(2)
        if call or word.lower() in _KEYWORDS:
            continue
        names.add(word)
    return names


def exposed_names(exposition: str) -> set[str]:
    """Names a ``/metrics`` text shows: ``# HELP``/``# TYPE`` families and sample names."""
    names = set()
    for line in exposition.splitlines():
        if line.startswith(("# HELP ", "# TYPE ")):
            names.add(line.split()[2])
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{\s]", line, maxsplit=1)[0])
    return names


def is_exposed(name: str, exposed: set[str]) -> bool:
    """True if ``name`` is exposed, a histogram's ``_bucket``/``_sum``/``_count`` by its base."""
    if name in exposed:
        return True
    return any(
        name.endswith(suffix) and name.removesuffix(suffix) in exposed
        for suffix in HISTOGRAM_SUFFIXES
    )
