"""Cut quoted history and the signature from a reply, leaving what the sender wrote now.

Clients mark the start of the quoted original in their own way, and Russian clients
in Russian: Outlook's "-----Original Message-----" / "-----Исходное сообщение-----"
or a "From:/От:" header block under a rule, Thunderbird's "On ..., X wrote:" /
"..., X пишет:", The Bat!'s "Вы писали ...:" with quote prefixes like "ИИ>". The
earliest such marker ends the new text; a run of ">" lines at the end is quote too.
``email-reply-parser`` then handles the English forms it knows (interleaved quote
fragments, "Sent from my ..."); its result is used only when it leaves text standing.
"""

from __future__ import annotations

import re

from email_reply_parser import EmailReplyParser

_MARKERS = [
    # Outlook and Exchange, English and Russian.
    re.compile(
        r"^\s*-{2,}\s*(Original Message|Исходное сообщение|Пересылаемое сообщение|Forwarded message)\s*-{2,}\s*$",
        re.I,
    ),
    # Outlook's rule line above a header block.
    re.compile(r"^\s*_{10,}\s*$"),
    # Outlook's header block without a rule (bold markers kept from HTML).
    re.compile(r"^\s*\*?(From|От|Отправлено|Sent)\s*:\*?\s+\S.*$"),
    # Thunderbird, Gmail, Apple Mail: "On <date>, <name> wrote:" (may wrap onto two lines).
    re.compile(r"^\s*(On\s.+|.+\s)?wrote:\s*$", re.I),
    re.compile(r"^\s*.*\s(пишет|писал|писала|написал|написала|написал\(а\)):\s*$", re.I),
    # The Bat!: "Вы писали 5 декабря 2026 г., 10:15:03:" / "You wrote:".
    re.compile(r"^\s*(Вы писали|You wrote)\b.*:\s*$", re.I),
    # Yandex / Mail.ru: "05.12.2026, 10:15, "Desk" <support@...>:"
    re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4},?\s+\d{1,2}:\d{2}.*<[^>]+@[^>]+>\s*:\s*$"),
]
# The two-line form of "On ... <newline> wrote:" that Thunderbird wraps.
_ON_START = re.compile(r"^\s*On\s.+", re.I)
_WROTE_END = re.compile(r"^.*\bwrote:\s*$", re.I)
# "> text", ">> text", The Bat!'s initials prefix "ИИ> text" / "JS> text".
_QUOTED = re.compile(r"^\s*[A-Za-zА-Яа-яЁё]{0,3}>")
# RFC 3676 signature delimiter "-- ", and the bare "--" some clients send.
_SIG_DELIMITER = re.compile(r"^--\s*$")
_SIGN_OFFS = re.compile(
    r"^\s*(С уважением|С наилучшими пожеланиями|Всего доброго|"
    r"Best regards|Kind regards|Regards|Best wishes|Sincerely|Cheers)[\s,.!]*$",
    re.I,
)
_SIGN_OFF_TAIL_LINES = 6  # a sign-off followed by more lines than this is prose, not a signature
_MOBILE = re.compile(r"^\s*(Sent from my|Отправлено с|Отправлено из)\b", re.I)


def reply_part(text: str) -> str:
    """The new part of a reply: text above the first quote marker, without signature."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = _first_marker(lines)
    kept = _drop_trailing_quote(lines[:cut])
    kept = _drop_signature(kept)
    mine = "\n".join(kept).strip()
    if not mine:
        return text.strip()  # nothing but quote: better the whole text than nothing
    theirs = EmailReplyParser.parse_reply(mine).strip()
    return theirs if theirs and len(theirs) >= len(mine) // 2 else mine


def _first_marker(lines: list[str]) -> int:
    """Index of the first line that starts quoted history; len(lines) when none."""
    for index, line in enumerate(lines):
        if index == 0 and not line.strip():
            continue
        if any(marker.match(line) for marker in _MARKERS) and _has_text_before(lines, index):
            return index
        if _ON_START.match(line) and index + 1 < len(lines) and _WROTE_END.match(lines[index + 1]):
            return index
        if _QUOTED.match(line) and _quote_runs_to_end(lines, index):
            return index
    return len(lines)


def _has_text_before(lines: list[str], index: int) -> bool:
    """A marker on the very first line is a forward (keep it), not a reply."""
    return any(line.strip() for line in lines[:index])


def _quote_runs_to_end(lines: list[str], index: int) -> bool:
    """True when from ``index`` on there are only quoted, blank or signature lines."""
    rest = [line for line in lines[index:] if line.strip()]
    quoted = [line for line in rest if _QUOTED.match(line)]
    return len(quoted) >= max(1, len(rest) * 3 // 4)


def _drop_trailing_quote(lines: list[str]) -> list[str]:
    while lines and (not lines[-1].strip() or _QUOTED.match(lines[-1])):
        lines = lines[:-1]
    return lines


def _drop_signature(lines: list[str]) -> list[str]:
    """Cut at the signature delimiter, a mobile footer, or a closing sign-off block."""
    for index, line in enumerate(lines):
        if index > 0 and (_SIG_DELIMITER.match(line) or _MOBILE.match(line)):
            return lines[:index]
    for index in range(len(lines) - 1, 0, -1):
        if _SIGN_OFFS.match(lines[index]):
            tail = [line for line in lines[index + 1 :] if line.strip()]
            if len(tail) <= _SIGN_OFF_TAIL_LINES:
                return lines[:index]
            break
    return lines
