from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kansrijk.monitoring.planner import PlanInput, compute

BASE = {
    "expected_births": 1000,
    "share_vulnerable_pct": D("12.5"),
    "acceptance_pct": D("70"),
    "visits_per_family": D("6"),
    "hours_per_visit": D("2.5"),
    "hours_per_fte": D("1300"),
    "hourly_rate": D("80"),
    "budget_may": D("100000"),
    "budget_december": D("20000"),
}


def test_hand_computed_example():
    # 1000 × 12.5% = 125 referrals; 125 × 70% = 87.5 → 88 families; 88 × 6 = 528 visits;
    # 528 × 2.5 = 1320 hours; 1320 / 1300 = 1.0154 → 1.02 FTE; 1320 × 80 = 105600; budget 120000 → 14400 left.
    result = compute(PlanInput(**BASE))
    assert (result.referrals, result.families, result.visits) == (125, 88, 528)
    assert result.hours == D("1320.00") and result.fte == D("1.02")
    assert result.cost == D("105600.00") and result.budget == D("120000") and result.balance == D("14400.00")


@pytest.mark.parametrize(
    "field,value",
    [
        ("share_vulnerable_pct", D("101")),
        ("acceptance_pct", D("-1")),
        ("visits_per_family", D("0")),
        ("hours_per_visit", D("-2")),
        ("hours_per_fte", D("0")),
        ("hourly_rate", D("0")),
        ("budget_may", D("-1")),
        ("expected_births", -5),
    ],
)
def test_validation(field, value):
    with pytest.raises(ValidationError) as info:
        compute(PlanInput(**{**BASE, field: value}))
    assert field in info.value.message_dict


@pytest.fixture
def plan(world):
    from kansrijk.monitoring.models import CapacityPlan

    return CapacityPlan.objects.create(municipality=world.maastricht, year=2025, **BASE)


def test_default_births_from_last_known_year(world):
    from kansrijk.monitoring.models import LiveBirths
    from kansrijk.monitoring.planner import default_births

    LiveBirths.objects.create(municipality=world.maastricht, year=2023, count=980, source="test")
    LiveBirths.objects.create(municipality=world.maastricht, year=2022, count=1000, source="test")
    assert default_births(world.maastricht, 2025) == 980
    assert default_births(world.heerlen, 2025) is None


def test_save_plan_bumps_version_and_refuses_stale_edit(plan, world):
    from kansrijk.monitoring.planner import StaleVersion, save_plan

    save_plan(plan, version=1, user=None, acceptance_pct=D("80"))
    assert plan.version == 2 and plan.acceptance_pct == D("80")
    with pytest.raises(StaleVersion):
        save_plan(plan, version=1, user=None, acceptance_pct=D("60"))
    plan.refresh_from_db()
    assert plan.acceptance_pct == D("80") and plan.version == 2


def test_save_plan_validates(plan):
    from kansrijk.monitoring.planner import save_plan

    with pytest.raises(ValidationError) as info:
        save_plan(plan, version=1, user=None, share_vulnerable_pct=D("150"))
    assert "share_vulnerable_pct" in info.value.message_dict
    plan.refresh_from_db()
    assert plan.share_vulnerable_pct == D("12.5") and plan.version == 1
