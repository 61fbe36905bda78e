"""Unit tests for SLA targets, policies read from documents and due-date computation.

Each test builds the one policy cell it checks: the programme's table is entitlement's.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.events.policy import PolicyDocument
from shared.events.vocabulary import Severity, Tier
from shared.testing.builders import policy_document
from shared.worktime.schedule import Schedule, ScheduleKind
from sla_clock.domain.targets import DueDates, Policy, Target, compute_due

MSK = ZoneInfo("Europe/Moscow")
EIGHT_BY_FIVE = Schedule.business_hours()
TWENTY_FOUR_SEVEN = Schedule.twenty_four_seven()


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def one_cell(
    tier: Tier, severity: Severity, targets: tuple[str | None, str | None], schedule: Schedule
) -> Policy:
    """A policy with the one tier and severity a test checks."""
    response, resolution = (None if t is None else Target.parse(t) for t in targets)
    return Policy(
        version="one-cell",
        schedules={tier: schedule},
        targets={(tier, severity): (response, resolution)},
    )


class TestTargetParse:
    @pytest.mark.parametrize(
        ("text", "target"),
        [
            ("20min", Target(20, "min")),
            ("3h", Target(3, "h")),
            ("2d", Target(2, "d")),
            (" 15 d ", Target(15, "d")),
        ],
    )
    def test_reads_the_rules_notation(self, text: str, target: Target) -> None:
        assert Target.parse(text) == target

    @pytest.mark.parametrize("text", ["20min", "3h", "32h", "10d", "5s"])
    def test_str_round_trips(self, text: str) -> None:
        assert str(Target.parse(text)) == text

    @pytest.mark.parametrize("text", ["", "h", "1.5h", "-1h", "3 hours", "2w", "3H"])
    def test_rejects_anything_else(self, text: str) -> None:
        with pytest.raises(ValueError, match="not a target"):
            Target.parse(text)

    def test_rejects_bad_fields(self) -> None:
        with pytest.raises(ValueError, match="unit"):
            Target(1, "w")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="negative"):
            Target(-1, "h")
        with pytest.raises(ValueError, match="integer"):
            Target(True, "h")


class TestTargetDuration:
    @pytest.mark.parametrize(
        ("text", "schedule", "expected"),
        [
            ("20min", EIGHT_BY_FIVE, timedelta(minutes=20)),
            ("32h", EIGHT_BY_FIVE, timedelta(hours=32)),
            ("2d", EIGHT_BY_FIVE, timedelta(hours=18)),
            ("10d", EIGHT_BY_FIVE, timedelta(hours=90)),
            ("15d", EIGHT_BY_FIVE, timedelta(hours=135)),
            ("2d", TWENTY_FOUR_SEVEN, timedelta(hours=48)),
            ("3h", TWENTY_FOUR_SEVEN, timedelta(hours=3)),
            ("5s", TWENTY_FOUR_SEVEN, timedelta(seconds=5)),
            ("90s", EIGHT_BY_FIVE, timedelta(seconds=90)),
        ],
    )
    def test_counts_days_as_full_schedule_days(
        self, text: str, schedule: Schedule, expected: timedelta
    ) -> None:
        assert Target.parse(text).duration(schedule) == expected


class TestComputeDue:
    def test_premium_critical_on_a_sunday_night(self) -> None:
        due = compute_due(
            one_cell(Tier.premium, Severity.critical, ("20min", "3h"), TWENTY_FOUR_SEVEN),
            tier=Tier.premium,
            severity=Severity.critical,
            received_at=msk(2026, 3, 1, 3),
        )

        assert due == DueDates(
            response_due=msk(2026, 3, 1, 3, 20),
            resolution_due=msk(2026, 3, 1, 6),
            schedule=TWENTY_FOUR_SEVEN,
            severity=Severity.critical,
        )

    def test_standard_high_on_friday_17(self) -> None:
        due = compute_due(
            one_cell(Tier.standard, Severity.high, ("4h", "8d"), EIGHT_BY_FIVE),
            tier=Tier.standard,
            severity=Severity.high,
            received_at=msk(2026, 3, 13, 17),
        )

        assert due.response_due == msk(2026, 3, 16, 12)  # 1 h Friday + 3 h Monday
        # 8d = 72 h: 1 h Friday, 7 full days (63 h), 8 h on Wednesday 25 March.
        assert due.resolution_due == msk(2026, 3, 25, 17)
        assert due.response_due is not None
        assert due.response_due.tzinfo is UTC

    def test_standard_critical_resolution_is_eighteen_working_hours(self) -> None:
        due = compute_due(
            one_cell(Tier.standard, Severity.critical, ("2h", "2d"), EIGHT_BY_FIVE),
            tier=Tier.standard,
            severity=Severity.critical,
            received_at=msk(2026, 3, 16, 10),
        )

        assert due.response_due == msk(2026, 3, 16, 12)
        assert due.resolution_due == msk(2026, 3, 18, 10)

    def test_standard_critical_over_the_november_2025_transfer(self) -> None:
        # Friday 8 h, working Saturday 9 h, 2-4 November off, 1 h on Wednesday.
        due = compute_due(
            one_cell(Tier.standard, Severity.critical, ("2h", "2d"), EIGHT_BY_FIVE),
            tier=Tier.standard,
            severity=Severity.critical,
            received_at=msk(2025, 10, 31, 10),
        )

        assert due.resolution_due == msk(2025, 11, 5, 10)

    def test_extended_medium_ten_days_ends_at_a_close(self) -> None:
        due = compute_due(
            one_cell(Tier.extended, Severity.medium, ("4h", "10d"), EIGHT_BY_FIVE),
            tier=Tier.extended,
            severity=Severity.medium,
            received_at=msk(2026, 3, 16, 9),
        )

        assert due.response_due == msk(2026, 3, 16, 13)
        assert due.resolution_due == msk(2026, 3, 27, 18)

    def test_received_at_night_starts_at_the_next_opening(self) -> None:
        due = compute_due(
            one_cell(Tier.extended, Severity.critical, ("30min", "4h"), EIGHT_BY_FIVE),
            tier=Tier.extended,
            severity=Severity.critical,
            received_at=msk(2026, 3, 16, 20),
        )

        assert due.response_due == msk(2026, 3, 17, 9, 30)
        assert due.resolution_due == msk(2026, 3, 17, 13)

    def test_over_the_2026_new_year_holidays(self) -> None:
        due = compute_due(
            one_cell(Tier.standard, Severity.medium, ("8h", "15d"), EIGHT_BY_FIVE),
            tier=Tier.standard,
            severity=Severity.medium,
            received_at=msk(2025, 12, 30, 12),
        )

        assert due.response_due == msk(2026, 1, 12, 11)  # 6 h on 30 Dec, 2 h on 12 Jan
        # 15d = 135 h: 6 h on 30 Dec, then 14 full days from 12 Jan, 3 h on 30 Jan.
        assert due.resolution_due == msk(2026, 1, 30, 12)

    def test_a_severity_without_a_resolution_target_has_no_resolution_due(self) -> None:
        due = compute_due(
            one_cell(Tier.basic, Severity.medium, ("8h", None), EIGHT_BY_FIVE),
            tier=Tier.basic,
            severity=Severity.medium,
            received_at=msk(2026, 3, 16, 10),
        )

        assert due == DueDates(
            response_due=msk(2026, 3, 16, 18),
            resolution_due=None,
            schedule=EIGHT_BY_FIVE,
            severity=Severity.medium,
        )

    def test_pauses_delay_resolution_but_never_response(self) -> None:
        pause = (msk(2026, 3, 1, 3, 10), msk(2026, 3, 1, 4, 10))

        due = compute_due(
            one_cell(Tier.premium, Severity.critical, ("20min", "3h"), TWENTY_FOUR_SEVEN),
            tier=Tier.premium,
            severity=Severity.critical,
            received_at=msk(2026, 3, 1, 3),
            pauses=[pause],
        )

        assert due.response_due == msk(2026, 3, 1, 3, 20)
        assert due.resolution_due == msk(2026, 3, 1, 7)

    def test_recomputation_counts_from_received_at_minus_pauses_so_far(self) -> None:
        received, pause = msk(2026, 3, 16, 10), (msk(2026, 3, 16, 11), msk(2026, 3, 16, 12))

        # A severity raised to critical later is recomputed from the original start.
        raised = compute_due(
            one_cell(Tier.standard, Severity.critical, ("2h", "2d"), EIGHT_BY_FIVE),
            tier=Tier.standard,
            severity=Severity.critical,
            received_at=received,
            pauses=[pause],
        )

        assert raised.resolution_due == msk(2026, 3, 18, 11)

    def test_rejects_a_naive_received_at(self) -> None:
        with pytest.raises(ValueError, match="received_at must be timezone-aware"):
            compute_due(
                one_cell(Tier.basic, Severity.medium, ("8h", None), EIGHT_BY_FIVE),
                tier=Tier.basic,
                severity=Severity.medium,
                received_at=datetime(2026, 3, 16, 10),
            )


class TestPolicy:
    DOC = policy_document(
        version="contract-7",
        schedules={"premium": "24x7", "basic": "8x5"},
        targets={"premium": {"critical": ("20min", "3h")}, "basic": {"medium": ("8h", None)}},
        warning_percents=[90, 50],
    )

    def test_is_read_from_the_document_the_ticket_carries(self) -> None:
        policy = Policy.from_document(PolicyDocument.model_validate(self.DOC))

        assert policy.version == "contract-7"
        assert policy.targets_for(Tier.premium, Severity.critical) == (
            Target(20, "min"),
            Target(3, "h"),
        )
        assert policy.targets_for(Tier.basic, Severity.medium) == (Target(8, "h"), None)
        assert policy.schedule_for(Tier.premium).kind is ScheduleKind.twenty_four_seven
        assert policy.warning_percents == (50, 90)

    def test_warning_percents_default_to_the_programmes(self) -> None:
        doc = {k: v for k, v in self.DOC.items() if k != "warning_percents"}

        assert Policy.from_dict(doc).warning_percents == (50, 75, 90)

    def test_round_trips_through_json(self) -> None:
        policy = Policy.from_dict(self.DOC)
        restored = Policy.from_dict(json.loads(json.dumps(policy.to_dict())))

        assert restored == policy
        assert hash(restored) == hash(policy)

    def test_to_dict_nests_targets_by_tier_and_severity(self) -> None:
        data = Policy.from_dict(self.DOC).to_dict()

        assert data["version"] == "contract-7"
        assert data["targets"]["premium"]["critical"] == {"response": "20min", "resolution": "3h"}
        assert data["targets"]["basic"]["medium"] == {"response": "8h", "resolution": None}
        assert data["schedules"]["premium"]["kind"] == "24x7"
        assert data["warning_percents"] == [50, 90]

    def test_custom_policy_runs_every_tier_on_one_schedule(self) -> None:
        schedule = Schedule(kind=ScheduleKind.custom, weekdays=frozenset(range(6)))

        policy = Policy.custom(
            version="acme-1",
            schedule=schedule,
            targets={(Tier.premium, Severity.high): (Target.parse("1h"), Target.parse("1d"))},
        )

        assert all(policy.schedule_for(tier) == schedule for tier in Tier)
        assert Policy.from_dict(policy.to_dict()) == policy
        due = compute_due(
            policy, tier=Tier.premium, severity=Severity.high, received_at=msk(2026, 3, 14, 17)
        )
        assert due.response_due == msk(2026, 3, 14, 18)  # Saturday works on this schedule
        assert due.resolution_due == msk(2026, 3, 16, 17)

    def test_rejects_targets_for_a_tier_without_a_schedule(self) -> None:
        with pytest.raises(ValueError, match="no schedule for"):
            Policy(
                version="broken",
                schedules={},
                targets={(Tier.basic, Severity.medium): (Target.parse("8h"), None)},
            )

    def test_lookup_of_a_missing_cell_raises_key_error(self) -> None:
        policy = Policy(version="empty", schedules={}, targets={})

        with pytest.raises(KeyError, match="no targets for premium/high"):
            policy.targets_for(Tier.premium, Severity.high)
        with pytest.raises(KeyError, match="no schedule for tier premium"):
            policy.schedule_for(Tier.premium)
