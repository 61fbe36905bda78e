"""Bytes to readable text: declared charsets, detection for undeclared ones, HTML, flowed.

Russian mail arrives in windows-1251, KOI8-R and UTF-8, and not always labelled
truthfully: a body sent as raw 8-bit with no charset, or labelled us-ascii or
iso-8859-1 while it is windows-1251. A declared charset is honoured when the bytes
decode under it and the result reads as text; otherwise ``charset-normalizer`` decides.
Nothing here raises on bad input: the worst outcome is text with replacement marks.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

# Labels mail clients write that Python's codec registry does not know.
_ALIASES = {
    "win-1251": "cp1251",
    "windows1251": "cp1251",
    "x-cp1251": "cp1251",
    "cp-1251": "cp1251",
    "koi8r": "koi8_r",
    "x-koi8-r": "koi8_r",
    "koi8": "koi8_r",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
    "x-unknown": "",
    "unknown-8bit": "",
}
# Labels that say "plain Latin" and are often stuck on Cyrillic bytes by old clients:
# when such a body has Cyrillic-looking 8-bit bytes, detection outranks the label.
_WEAK_LABELS = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso8859-1", "cp1252"}
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_HTML_CONFIG = ParserConfig(css=CSS_PROFILES["relaxed"], display_links=False)


def codec_for(label: str | None) -> str | None:
    """The Python codec for a MIME charset label; None when unknown or meaningless."""
    if not label:
        return None
    name = label.strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a body: the declared charset when it fits, else detection, never an exception."""
    codec = codec_for(declared)
    if not _has_8bit(data):
        return data.decode("ascii", errors="replace")
    if codec is not None and not _weak(declared):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass  # mislabelled: fall through to detection
        else:
            return _unless_other_cyrillic(data, codec, text)
    detected = detect(data)
    if detected is not None:
        return detected
    return data.decode(codec or "utf-8", errors="replace")


def _unless_other_cyrillic(data: bytes, codec: str, text: str) -> str:
    """A Cyrillic label on another Cyrillic codec's bytes (KOI8-R sent as windows-1251)."""
    if codec not in _CYRILLIC_CODECS:
        return text
    other = _best_cyrillic(data)
    if other is None or _russian_score(other) < _russian_score(text) + _CLEARLY_BETTER:
        return text
    return other


def detect(data: bytes) -> str | None:
    """Decode 8-bit bytes of unknown charset: UTF-8 when valid, else the best guess.

    Statistics alone misjudge short Russian texts (a six-letter subject reads as
    Chinese or Czech to them), so the single-byte Cyrillic codecs are scored first by
    how Russian the result reads; ``charset-normalizer`` decides what is not Russian.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    russian = _best_cyrillic(data)
    if russian is not None:
        return russian
    best = from_bytes(data, cp_isolation=_EUROPEAN).best()
    return str(best) if best is not None else None


# Russian letters from the most to the least frequent: the score of a decoding.
_RU_BY_FREQUENCY = "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфъё"
_RU_WEIGHT = {ch: 1 - i / len(_RU_BY_FREQUENCY) for i, ch in enumerate(_RU_BY_FREQUENCY)}
_CYRILLIC_CODECS = ("cp1251", "koi8-r", "cp866")  # as codecs.lookup names them
_EUROPEAN = ["utf_8", "cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r"]
_WORD = re.compile(r"\w+")
_RUSSIAN_ENOUGH = 0.45  # mean letter weight of ordinary Russian prose is about 0.7
_CLEARLY_BETTER = 0.2  # how much better another codec must read to overrule a label
# Typography that Russian text does use: not a sign of a wrong codec.
_TYPOGRAPHY = set("«»—–№…“”„‘’\u00a0·°±§©®™€")


def _best_cyrillic(data: bytes) -> str | None:
    """The reading among the Cyrillic codecs that reads most like Russian, if any does."""
    scored: list[tuple[float, str]] = []
    for codec in _CYRILLIC_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((_russian_score(text), text))
    if not scored:
        return None
    score, text = max(scored)
    return text if score >= _RUSSIAN_ENOUGH else None


def _russian_score(text: str) -> float:
    """Mean frequency weight of the letters, less penalties for what Russian never does.

    Penalised: non-Russian letters among the 8-bit ones (box drawing, Serbian, Greek),
    words that mix Latin and Cyrillic (a Latin-1 text read as Cyrillic), and a capital
    after a lower-case letter inside a word (KOI8-R read as windows-1251 swaps case).
    """
    words = _WORD.findall(text)
    eight_bit = [ch for ch in text if ord(ch) > 0x7F]
    letters = [ch.lower() for ch in eight_bit if ch.isalpha()]
    if not letters:
        return 0.0
    weight = sum(_RU_WEIGHT.get(ch, -1.0) for ch in letters) / len(letters)
    odd = sum(1 for ch in eight_bit if not ch.isalpha() and ch not in _TYPOGRAPHY)
    strange = odd / len(eight_bit)
    cyrillic_words = [w for w in words if _CYRILLIC.search(w)]
    mixed = sum(1 for w in cyrillic_words if re.search(r"[A-Za-z]", w))
    swapped = sum(1 for w in cyrillic_words if re.search(r"[а-яё][А-ЯЁ]", w))
    total = max(1, len(cyrillic_words))
    return weight - strange - (mixed + swapped) / total


def _has_8bit(data: bytes) -> bool:
    return any(byte > 0x7F for byte in data)


def _weak(declared: str | None) -> bool:
    return (declared or "").strip().strip('"').lower() in _WEAK_LABELS


def surrogates_to_text(value: str) -> str:
    """A header value the parser kept as surrogate escapes (raw 8-bit) as readable text."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("ascii", errors="surrogateescape"))


def html_to_text(html: str) -> str:
    """Readable text from HTML (tables, lists and line breaks kept), via inscriptis."""
    if not html.strip():
        return ""
    try:
        text = get_text(html, _HTML_CONFIG)
    except Exception as exc:  # lxml rejects some broken documents
        stripped = re.sub(r"<[^>]+>", " ", html)
        return f"{stripped.strip()}\n[HTML could not be converted: {type(exc).__name__}]"
    lines = [line.rstrip() for line in text.splitlines()]
    return _squeeze_blank_lines("\n".join(lines)).strip()


def unflow(text: str, *, delsp: bool) -> str:
    """Join format=flowed soft line breaks (RFC 3676) back into paragraphs.

    A line ending in a space continues on the next one; quote depth is kept, and
    space-stuffing removed, so the quote cutter sees whole lines.
    """
    out: list[str] = []
    pending: str | None = None
    pending_depth = -1
    for raw in text.split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        line = raw[depth:]
        if line.startswith(" ") and depth == 0:
            line = line[1:]  # space-stuffed
        flowed = line.endswith(" ") and line.rstrip() != "--"
        if pending is not None and depth == pending_depth:
            line = pending + line
        elif pending is not None:
            out.append(">" * pending_depth + pending)
        pending = None
        if flowed:
            pending, pending_depth = (line[:-1] if delsp else line), depth
        else:
            out.append(
                ">" * depth + (" " if depth and line and not line.startswith(" ") else "") + line
            )
    if pending is not None:
        out.append(">" * pending_depth + pending)
    return "\n".join(out)


def _squeeze_blank_lines(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text)


def is_cyrillic(text: str) -> bool:
    """True when the text has Russian letters (enough to answer in Russian first)."""
    return bool(_CYRILLIC.search(text))
