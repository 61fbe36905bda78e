"""Pure rules of entitlement: catalogue, contract rules, resolution, calendars, versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import uuid4

import pytest

from entitlement.domain.calendar import (
    CalendarOverrides,
    apply_overrides,
    business_hours,
    twenty_four_seven,
    validate_schedule,
)
from entitlement.domain.catalogue import CATALOGUE, tiers_with
from entitlement.domain.entitlement import ContractTerm, check_contract, contract_bounds, resolve
from entitlement.domain.policy import (
    check_target,
    compose_version,
    contract_policy,
    default_policy,
    split_version,
)
from shared.errors import Unprocessable
from shared.events.policy import CriticalResolutionStart, TargetsDocument
from shared.events.vocabulary import Feature, Severity, Tier

MSK = "Europe/Moscow"


def term(tier: Tier, starts: date, ends: date) -> ContractTerm:
    starts_at, ends_at = contract_bounds(starts, ends, MSK)
    return ContractTerm(
        id=uuid4(), tier=tier, starts_on=starts, ends_on=ends, starts_at=starts_at, ends_at=ends_at
    )


class TestCatalogue:
    def test_features_follow_the_rules_table(self) -> None:
        expected_yes = {
            Feature.customer_resource_access_monitoring: {Tier.premium},
            Feature.scheduled_maintenance: {Tier.premium},
            Feature.performance_analysis: {Tier.premium, Tier.business},
            Feature.dedicated_engineer: {Tier.premium, Tier.business},
            Feature.on_site_visit: {Tier.premium, Tier.business},
            Feature.dedicated_manager: {Tier.premium, Tier.business, Tier.extended},
            Feature.remote_access: {Tier.premium, Tier.business, Tier.extended},
            Feature.consulting_additional_functionality: {
                Tier.premium,
                Tier.business,
                Tier.extended,
            },
            Feature.consulting_complex_projects: {Tier.premium, Tier.business, Tier.extended},
            Feature.critical_incidents: {Tier.premium, Tier.business, Tier.extended, Tier.standard},
            Feature.installation_consulting: set(Tier),
            Feature.updates_access: set(Tier),
            Feature.knowledge_base: set(Tier),
            Feature.improvement_proposals: set(Tier),
        }
        assert set(expected_yes) == set(Feature)
        for feature, tiers in expected_yes.items():
            assert set(tiers_with(feature)) == tiers, feature

    def test_priorities_limits_and_schedules(self) -> None:
        assert {t: s.priority for t, s in CATALOGUE.items()} == {
            Tier.premium: 1,
            Tier.business: 2,
            Tier.extended: 3,
            Tier.standard: 4,
            Tier.basic: 5,
        }
        assert {t for t, s in CATALOGUE.items() if s.max_open_tickets is None} == {
            Tier.premium,
            Tier.business,
            Tier.extended,
        }
        assert CATALOGUE[Tier.standard].max_open_tickets == 1
        assert CATALOGUE[Tier.basic].max_open_tickets == 1
        assert {t for t, s in CATALOGUE.items() if s.schedule == "24x7"} == {
            Tier.premium,
            Tier.business,
        }
        assert CATALOGUE[Tier.basic].critical_incidents_schedule is None
        assert CATALOGUE[Tier.basic].customer_obligations == ()


class TestCheckContract:
    def check(self, **overrides: object) -> Tier:
        args: dict[str, object] = {
            "tier": "business",
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2026, 12, 31),
            "trained_specialists": 1,
            "dedicated_manager": None,
            "dedicated_engineer": None,
        }
        args.update(overrides)
        return check_contract(**args)  # type: ignore[arg-type]

    def test_accepts_a_contract_tier_with_a_trained_specialist(self) -> None:
        assert self.check() is Tier.business

    @pytest.mark.parametrize(
        ("overrides", "slug"),
        [
            ({"trained_specialists": 0}, "no-trained-specialist"),
            ({"ends_on": date(2025, 12, 31)}, "contract-dates-inverted"),
            ({"tier": "gold"}, "unknown-tier"),
            ({"tier": "standard"}, "tier-needs-no-contract"),
            ({"tier": "basic"}, "tier-needs-no-contract"),
            ({"tier": "extended", "dedicated_engineer": "Ivanov"}, "feature-not-in-tier"),
            ({"tier": "business", "alert_mapping": {"P1": "critical"}}, "feature-not-in-tier"),
        ],
    )
    def test_refuses(self, overrides: dict[str, object], slug: str) -> None:
        with pytest.raises(Unprocessable) as err:
            self.check(**overrides)
        assert err.value.slug == slug


class TestResolve:
    at = datetime(2026, 6, 1, 12, tzinfo=UTC)

    def test_highest_active_contract_wins(self) -> None:
        ext = term(Tier.extended, date(2026, 1, 1), date(2026, 12, 31))
        prem = term(Tier.premium, date(2026, 5, 1), date(2026, 7, 1))
        future = term(Tier.premium, date(2027, 1, 1), date(2027, 12, 31))
        result = resolve([ext, prem, future], warranty_until=None, at=self.at, timezone=MSK)
        assert (result.tier, result.contract) == (Tier.premium, prem)
        assert "highest of 2 active" in result.reason

    def test_warranty_then_basic(self) -> None:
        assert (
            resolve([], warranty_until=date(2026, 6, 1), at=self.at, timezone=MSK).tier
            is Tier.standard
        )
        basic = resolve([], warranty_until=date(2026, 5, 31), at=self.at, timezone=MSK)
        assert basic.tier is Tier.basic
        assert "warranty ended 2026-05-31" in basic.reason

    def test_contract_covers_its_last_day_in_the_customer_zone(self) -> None:
        k = term(Tier.business, date(2026, 1, 1), date(2026, 5, 31))
        # 23:30 Moscow on the last day is 20:30 UTC: still covered; midnight is not.
        assert k.active_at(datetime(2026, 5, 31, 20, 30, tzinfo=UTC))
        assert not k.active_at(datetime(2026, 5, 31, 21, 0, tzinfo=UTC))


class TestCalendars:
    def test_overrides_apply_to_business_hours_only(self) -> None:
        overrides = CalendarOverrides(
            timezone="Asia/Yekaterinburg",
            opens=time(8),
            extra_days_off=frozenset({date(2026, 3, 10)}),
        )
        doc = apply_overrides(business_hours(), overrides, shortened=True)
        assert doc["timezone"] == "Asia/Yekaterinburg"
        assert doc["opens"] == "08:00:00"
        assert doc["extra_days_off"] == ["2026-03-10"]
        assert doc["shortened_pre_holidays"] is True
        assert (
            apply_overrides(twenty_four_seven(), overrides, shortened=True) == twenty_four_seven()
        )

    @pytest.mark.parametrize(
        "doc",
        [
            {**business_hours(), "timezone": "Mars/Olympus"},
            {**business_hours(), "opens": "18:00:00", "closes": "09:00:00"},
            {**business_hours(), "weekdays": [0, 1, 2, 3, 4, 5]},
            {**business_hours(), "kind": "9x6"},
            {
                **business_hours(),
                "extra_days_off": ["2026-01-01"],
                "extra_working_days": ["2026-01-01"],
            },
        ],
    )
    def test_invalid_schedules_are_refused(self, doc: dict[str, object]) -> None:
        with pytest.raises(ValueError, match=r"."):
            validate_schedule(doc)


class TestPolicyVersions:
    def test_compose_and_split_round_trip(self) -> None:
        version = compose_version("contract-x", calendar_version="c.2", shortened=True)
        assert version == "contract-x+cal.c.2+short"
        assert split_version(version) == ("contract-x", "c.2", True)
        assert split_version("default-2026.1") == ("default-2026.1", None, False)
        assert compose_version("default-2026.1", calendar_version="default", shortened=False) == (
            "default-2026.1"
        )
        with pytest.raises(ValueError, match="not a policy version"):
            split_version("default-2026.1+bogus")

    def test_contract_policy_replaces_only_its_tier(self) -> None:
        base = default_policy()
        doc = contract_policy(
            version="contract-1",
            tier=Tier.business,
            base=base,
            targets={Severity.critical: ("15min", "2h")},
        )
        business = doc.targets[Tier.business]
        assert business[Severity.critical] == TargetsDocument(response="15min", resolution="2h")
        assert business[Severity.high] == base.targets[Tier.business][Severity.high]
        assert doc.targets[Tier.premium] == base.targets[Tier.premium]
        assert (doc.warning_percents, doc.severity_caps) == (
            base.warning_percents,
            base.severity_caps,
        )

    def test_contract_policy_may_warn_at_its_own_percentages(self) -> None:
        doc = contract_policy(
            version="contract-2",
            tier=Tier.premium,
            base=default_policy(),
            warning_percents=[80, 40],
        )
        assert doc.warning_percents == [40, 80]

    def test_contract_policy_may_start_critical_resolution_at_confirmation(self) -> None:
        base = default_policy()
        doc = contract_policy(
            version="contract-4",
            tier=Tier.premium,
            base=base,
            critical_resolution_starts=CriticalResolutionStart.confirmation,
        )
        assert base.critical_resolution_starts is CriticalResolutionStart.registration
        assert doc.critical_resolution_starts is CriticalResolutionStart.confirmation
        assert doc.targets == base.targets

    @pytest.mark.parametrize("percents", [[0], [100], [50, 120]])
    def test_warnings_outside_the_target_are_refused(self, percents: list[int]) -> None:
        with pytest.raises(ValueError, match="strictly between 0 and 100"):
            contract_policy(
                version="contract-3",
                tier=Tier.premium,
                base=default_policy(),
                warning_percents=percents,
            )

    def test_default_policy_carries_the_programmes_warnings_and_caps(self) -> None:
        doc = default_policy()
        assert doc.warning_percents == [50, 75, 90]
        assert doc.severity_caps == {Tier.basic: Severity.medium}
        assert doc.served_severity(Tier.basic, Severity.critical) == (Severity.medium, True)
        assert doc.served_severity(Tier.standard, Severity.critical) == (Severity.critical, False)

    @pytest.mark.parametrize("text", ["3 hours", "h3", "-1h", "1.5h", "2w"])
    def test_bad_targets_are_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="not a target"):
            check_target(text)

    @pytest.mark.parametrize("text", ["366d", "8784h", "527040min", "31622400s"])
    def test_targets_up_to_a_leap_year_are_accepted(self, text: str) -> None:
        assert check_target(f" {text} ") == text

    @pytest.mark.parametrize(
        ("text", "limit"),
        [
            ("367d", "366d"),
            ("8785h", "8784h"),
            ("527041min", "527040min"),
            ("31622401s", "31622400s"),
            ("99999999999999999999d", "366d"),
        ],
    )
    def test_targets_over_a_year_are_refused_with_the_limit(self, text: str, limit: str) -> None:
        with pytest.raises(ValueError, match=f"at most {limit}"):
            check_target(text)

    def test_non_ascii_digits_are_not_a_target(self) -> None:
        with pytest.raises(ValueError, match="not a target"):
            check_target("\u0663h")  # ARABIC-INDIC DIGIT THREE
