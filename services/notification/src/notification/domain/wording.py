"""What happened, in people's words: event types stay in the events, never in a message.

Escalation and OLA messages (and their subjects) say the event as a sentence in the
recipient's language: "Response deadline passed", "75 % of the resolution time used,
1 h 05 min of working time left". Each distinct event has its own subject: the warning
percentage, breach or warning, response or resolution, the escalation level.
"""

from __future__ import annotations

_TIMER = {
    "en": {"response": "response", "resolution": "resolution"},
    "ru": {"response": "реакции", "resolution": "решение"},
}


def duration(minutes: int | float | None, lang: str) -> str:
    """``1 h 05 min`` / ``1 ч 05 мин``; ``2 d 3 h`` style is not used: working time is hours."""
    if minutes is None:
        return ""
    total = max(0, round(minutes))
    hours, mins = divmod(total, 60)
    h, m = ("ч", "мин") if lang == "ru" else ("h", "min")
    if hours and mins:
        return f"{hours} {h} {mins:02d} {m}"
    if hours:
        return f"{hours} {h}"
    return f"{mins} {m}"


def _timer(timer: str | None, lang: str) -> str | None:
    return _TIMER["ru" if lang == "ru" else "en"].get(timer or "")


def what_happened(
    lang: str,
    *,
    trigger: str | None,
    timer: str | None = None,
    percent: int | None = None,
    remaining_minutes: int | float | None = None,
) -> str:
    """One sentence for an escalation's cause (an SLA warning or breach, a manual move)."""
    ru = lang == "ru"
    which = _timer(timer, lang)
    left = duration(remaining_minutes, lang)
    if trigger in ("sla.timer.breached", "breach"):
        if which is None:
            return "Срок истёк" if ru else "Deadline passed"
        if ru:
            return "Срок реакции истёк" if timer == "response" else "Срок решения истёк"
        return f"{which.capitalize()} deadline passed"
    if trigger in ("sla.timer.warning", "warning"):
        if ru:
            what = f"времени на {which}" if timer == "resolution" else f"времени {which or ''}"
            used = f"Использовано {percent} % {what.strip()}" if percent else "Срок скоро истекает"
            return f"{used}, осталось {left} рабочего времени" if left else used
        used = (
            f"{percent} % of the {which or 'allowed'} time used"
            if percent
            else "Deadline approaching"
        )
        return f"{used}, {left} of working time left" if left else used
    if trigger in ("ola.breached",):
        return "Внутренний срок линии истёк" if ru else "Line's own deadline passed"
    if trigger in ("ola.warning",):
        return "Внутренний срок линии скоро истекает" if ru else "Line's own deadline approaching"
    if trigger == "manual":
        return "Обращение передано вручную" if ru else "Ticket moved by an agent"
    return "Требуется внимание" if ru else "Attention needed"


def ola_what(lang: str, *, line: object, kind: str, percent: int | None = None) -> str:
    """One sentence for an OLA warning or breach of a support line."""
    if lang == "ru":
        if kind == "breached":
            return f"Внутренний срок реакции линии {line} истёк"
        used = f": использовано {percent} % времени" if percent else ""
        return f"Внутренний срок реакции линии {line} скоро истекает{used}"
    if kind == "breached":
        return f"Line {line}'s own response deadline passed"
    used = f": {percent} % of the time used" if percent else ""
    return f"Line {line}'s own response deadline approaching{used}"
