"""The SLA explanation: counted windows sum to the target, skipped days carry reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.errors import Unprocessable
from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, Tier
from shared.testing.builders import policy_document
from shared.worktime.schedule import Schedule
from shared.worktime.trace import counted_windows
from shared.worktime.worktime import deadline
from sla_clock.domain.clock import parse_instant
from sla_clock.simulate import simulate, with_schedule

MSK = ZoneInfo("Europe/Moscow")
H = timedelta(hours=1)

POLICY = PolicyDocument.model_validate(
    policy_document(
        version="explain-test",
        schedules={"premium": "24x7", "standard": "8x5", "extended": "8x5", "basic": "8x5"},
        targets={
            "premium": {
                "critical": ("20min", "3h"),
                "high": ("30min", "4h"),
                "medium": ("2h", "32h"),
            },
            "standard": {"critical": ("2h", "2d"), "high": ("4h", "8d"), "medium": ("8h", "16h")},
            "extended": {"critical": ("30min", "4h"), "high": ("1h", "1d")},
            "basic": {"medium": ("8h", None)},
        },
    )
)
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def run(
    tier: str,
    severity: str,
    received: datetime,
    history: list[dict[str, Any]],
    policy: PolicyDocument = POLICY,
) -> dict[str, Any]:
    return simulate(
        tier=Tier(tier),
        severity=Severity(severity),
        received_at=received,
        policy=policy,
        history=history,
        now=NOW,
    )


def step(kind: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "at": at, **extra}


# Friday 31 Oct 2025: Saturday 1 Nov is a working day moved from it, Monday 3 Nov the day
# off moved from that Saturday, Tuesday 4 Nov Unity Day.
UNITY = msk(2025, 10, 31, 16, 0)

FIXTURES: dict[str, tuple[str, str, datetime, list[dict[str, Any]]]] = {
    "24x7 untouched": ("premium", "critical", msk(2026, 3, 1, 3), []),
    "24x7 taken and resolved": (
        "premium",
        "high",
        msk(2026, 3, 1, 3),
        [step("taken_into_work", msk(2026, 3, 1, 3, 10)), step("resolved", msk(2026, 3, 1, 5))],
    ),
    "24x7 two pauses": (
        "premium",
        "critical",
        msk(2026, 3, 1, 3),
        [
            step("taken_into_work", msk(2026, 3, 1, 3, 5)),
            step("waiting", msk(2026, 3, 1, 4), reason="logs"),
            step("resumed", msk(2026, 3, 1, 6)),
            step("waiting", msk(2026, 3, 1, 6, 30), reason="access"),
            step("resumed", msk(2026, 3, 1, 7)),
        ],
    ),
    "8x5 across the Unity holidays": ("standard", "medium", UNITY, []),
    "8x5 with a pause over the holiday": (
        "standard",
        "high",
        UNITY,
        [
            step("taken_into_work", msk(2025, 10, 31, 17)),
            step("waiting", msk(2025, 11, 1, 12), reason="customer"),
            step("resumed", msk(2025, 11, 5, 11)),
        ],
    ),
    "8x5 new year": ("standard", "critical", msk(2025, 12, 30, 15), []),
    "severity raised": (
        "standard",
        "medium",
        msk(2026, 3, 2, 10),
        [step("severity_changed", msk(2026, 3, 2, 11), severity="critical")],
    ),
    "tier raised": (
        "standard",
        "high",
        msk(2026, 3, 2, 10),
        [step("tier_changed", msk(2026, 3, 2, 12), tier="premium")],
    ),
    "reopened": (
        "premium",
        "medium",
        msk(2026, 3, 1, 3),
        [
            step("taken_into_work", msk(2026, 3, 1, 4)),
            step("resolved", msk(2026, 3, 1, 8)),
            step("reopened", msk(2026, 3, 2, 8)),
        ],
    ),
    "corrective action": (
        "extended",
        "critical",
        msk(2026, 3, 2, 17),
        [
            step("taken_into_work", msk(2026, 3, 2, 17, 10)),
            step("corrective_action", msk(2026, 3, 3, 10), action="workaround"),
        ],
    ),
    "excluded closing": (
        "premium",
        "critical",
        msk(2026, 3, 1, 3),
        [
            step("taken_into_work", msk(2026, 3, 1, 3, 5)),
            step("closed_not_reproducible", msk(2026, 3, 1, 9), reason="cannot reproduce"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_counted_intervals_sum_to_the_target_on_every_fixture(name: str) -> None:
    tier, severity, received, history = FIXTURES[name]
    body = run(tier, severity, received, history)
    checked = 0
    for timer in body["timers"]:
        minutes = sum(i["minutes"] for i in timer["intervals"])
        assert minutes == pytest.approx(timer["counted_minutes"])
        if timer["target_minutes"] is not None and timer["due_at"] is not None:
            assert minutes == pytest.approx(timer["target_minutes"]), timer
            assert (
                timer["intervals"][-1]["to"]
                == parse_instant(timer["due_at"], "due").astimezone(MSK).isoformat()
            )
            checked += 1
    assert checked >= 1


def test_skipped_days_name_the_holiday_the_moved_day_off_and_the_weekend() -> None:
    body = run("standard", "medium", UNITY, [])
    resolution = body["timers"][1]  # 16 h on 9 h days from Friday 16:00
    assert resolution["due_at"] is not None
    days = [i["date"] for i in resolution["intervals"]]
    # Saturday 1 Nov is worked (the calendar moved the working day onto it).
    assert days == ["2025-10-31", "2025-11-01", "2025-11-05"]
    skipped = {s["date"]: s["reason"] for s in resolution["skipped_days"]}
    assert skipped == {
        "2025-11-02": "weekend",
        "2025-11-03": "transferred_day_off",
        "2025-11-04": "public_holiday",
    }
    assert parse_instant(resolution["due_at"], "due") == msk(2025, 11, 5, 14, 0)


def test_a_customer_day_off_is_named() -> None:
    schedule = {"kind": "8x5", "extra_days_off": ["2026-03-03"]}
    policy = with_schedule(POLICY, Tier.standard, schedule)
    body = run("standard", "critical", msk(2026, 3, 2, 17), [], policy=policy)
    skipped = body["timers"][1]["skipped_days"]
    assert {"date": "2026-03-03", "reason": "customer_day_off", "name": None} in skipped


def test_pauses_report_the_working_minutes_they_took_out() -> None:
    _, _, received, history = FIXTURES["8x5 with a pause over the holiday"]
    body = run("standard", "high", received, history)
    (pause,) = body["timers"][1]["pauses"]
    assert pause["reason"] == "waiting_customer"
    # Saturday 1 Nov 12:00-18:00 (6 h) and Wednesday 5 Nov 09:00-11:00 (2 h).
    assert pause["working_minutes"] == 8 * 60
    assert body["timers"][0]["pauses"] == []


def test_severity_and_tier_changes_are_listed_with_their_instants() -> None:
    _, _, received, history = FIXTURES["severity raised"]
    body = run("standard", "medium", received, history)
    assert body["severity_and_tier_changes"] == [
        {
            "at": msk(2026, 3, 2, 11).astimezone(UTC).isoformat(),
            "from": {"tier": "standard", "severity": "medium", "policy_version": "explain-test"},
            "to": {"tier": "standard", "severity": "critical", "policy_version": "explain-test"},
        }
    ]
    recomputed = [c for c in body["timers"][1]["changes"] if c["kind"] == "recomputed"]
    assert recomputed
    assert recomputed[0]["target"] == "2d"


def test_an_excluded_closing_says_excluded() -> None:
    _, _, received, history = FIXTURES["excluded closing"]
    body = run("premium", "critical", received, history)
    assert body["excluded_reason"] is not None
    assert {t["outcome"] for t in body["timers"]} == {"excluded"}


def test_the_trace_ends_where_the_deadline_is() -> None:
    schedule = Schedule.business_hours()
    start = msk(2025, 12, 30, 15)
    pauses = [(msk(2025, 12, 30, 16), msk(2026, 1, 12, 10))]
    due = deadline(schedule, start, target_duration=18 * H, pauses=pauses)
    windows = counted_windows(schedule, start, target_duration=18 * H, pauses=pauses)
    assert windows[-1].end == due
    assert sum((w.length for w in windows), timedelta(0)) == 18 * H


def test_a_step_missing_its_field_is_a_problem() -> None:
    with pytest.raises(Unprocessable):
        run("standard", "medium", UNITY, [step("severity_changed", msk(2025, 11, 5, 10))])


def test_the_explanation_names_a_shortened_pre_holiday_day() -> None:
    schedule = {"kind": "8x5", "shortened_pre_holidays": True}
    policy = with_schedule(POLICY, Tier.standard, schedule)
    # Wednesday 4 Nov 2026 is Unity Day: Tuesday 3 Nov closes an hour early.
    body = run("standard", "medium", msk(2026, 11, 2, 9), [], policy=policy)
    resolution = body["timers"][1]
    shortened = {i["date"] for i in resolution["intervals"] if i["shortened"]}
    assert shortened == {"2026-11-03"}
    assert [i["minutes"] for i in resolution["intervals"]] == [540, 420]
    assert parse_instant(resolution["due_at"], "due") == msk(2026, 11, 3, 16)
    assert sum(i["minutes"] for i in resolution["intervals"]) == 16 * 60
