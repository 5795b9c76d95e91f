"""The capacity and budget planner pages: who may plan, Dutch number input, stale edits, double submits, actuals."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from kansrijk.monitoring.forms_planning import DutchDecimalField
from kansrijk.monitoring.models_births import LiveBirths
from kansrijk.monitoring.models_planner import CapacityPlan
from kansrijk.monitoring.planner_actuals import share_of_year
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def form_data(**overrides):
    data = {
        "expected_births": "1000",
        "share_vulnerable_pct": "12,5",
        "acceptance_pct": "70",
        "visits_per_family": "6",
        "hours_per_visit": "2,5",
        "hours_per_fte": "1.300",
        "hourly_rate": "80",
        "budget_may": "100.000",
        "budget_december": "20000,00",
        "notes": "",
    }
    data.update(overrides)
    return data


def url(code="GM0935", year=YEAR, edit=False):
    return f"/monitoring/planning/{code}/{year}/" + ("wijzigen/" if edit else "")


@pytest.mark.parametrize(
    "text,value",
    [("12,5", D("12.5")), ("12.5", D("12.5")), ("1.300", D("1300")), ("100.000,50", D("100000.50")), ("€ 95", D("95"))],
)
def test_dutch_numbers_are_understood(text, value):
    assert DutchDecimalField(max_digits=12, decimal_places=2).clean(text) == value


@pytest.mark.parametrize(
    "stored,shown",
    [(D("9.00"), "9"), (D("2.50"), "2,5"), (D("62000.00"), "62000"), (D("1300.00"), "1300"), (D("0.25"), "0,25")],
)
def test_stored_numbers_are_shown_as_a_dutch_person_types_them(stored, shown):
    field = DutchDecimalField(max_digits=12, decimal_places=2)
    assert field.prepare_value(stored) == shown
    assert field.clean(shown) == stored  # and read back as the same number
    assert field.prepare_value("12,50 typed") == "12,50 typed"


def test_the_edit_form_shows_the_plan_in_dutch_numbers(world, client, login):
    login(world.officer)
    client.post(url(edit=True), form_data())
    html = client.get(url(edit=True)).content.decode()
    assert '.00"' not in html
    plan = CapacityPlan.objects.get(municipality=world.maastricht, year=YEAR)
    shown = format(plan.hours_per_visit.normalize(), "f").replace(".", ",")
    assert f'name="hours_per_visit" value="{shown}"' in html


def test_the_officer_makes_a_plan_and_sees_what_it_takes(world, client, login):
    LiveBirths.objects.create(municipality=world.maastricht, year=YEAR - 1, count=980, source="CBS")
    login(world.officer)
    form = client.get(url(edit=True))
    assert form.context["form"].initial["expected_births"] == 980  # from the last known year

    response = client.post(url(edit=True), form_data())
    assert response.status_code == 302
    plan = CapacityPlan.objects.get(municipality=world.maastricht, year=YEAR)
    assert plan.share_vulnerable_pct == D("12.5") and plan.hours_per_fte == D("1300") and plan.budget_may == D("100000")
    detail = client.get(url())
    result = detail.context["result"]
    assert (result.referrals, result.families, result.visits) == (125, 88, 528)
    assert result.balance == D("14400.00")


def test_invalid_input_keeps_what_was_typed_and_says_what_is_wrong(world, client, login):
    login(world.officer)
    response = client.post(url(edit=True), form_data(share_vulnerable_pct="120", hourly_rate="veel"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "share_vulnerable_pct" in form.errors and "hourly_rate" in form.errors
    assert 'value="veel"' in response.content.decode()
    assert not CapacityPlan.objects.exists()


def test_a_stale_edit_is_refused_and_keeps_the_input(world, client, login):
    login(world.officer)
    client.post(url(edit=True), form_data())
    plan = CapacityPlan.objects.get()
    client.post(url(edit=True), form_data(version=str(plan.version), acceptance_pct="80"))  # a colleague saves first
    response = client.post(url(edit=True), form_data(version=str(plan.version), acceptance_pct="60"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="60"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.acceptance_pct == D("80")


def test_a_double_submit_of_a_new_plan_makes_one(world, client, login):
    login(world.officer)
    client.post(url(edit=True), form_data())
    # The second click arrives as a new plan (no version): nothing overwritten, one plan.
    response = client.post(url(edit=True), form_data(acceptance_pct="10"))
    assert CapacityPlan.objects.count() == 1
    assert response.status_code in (200, 302)


def test_others_may_not_plan(world, client, login):
    login(world.officer)
    assert client.get(url("GM0917")).status_code == 404  # not her municipality
    assert client.post(url("GM0917", edit=True), form_data()).status_code == 404
    for persona in ("planner", "nurse", "midwife", "nobody"):
        login(getattr(world, persona))
        assert client.get("/monitoring/planning/").status_code == 404
    login(world.coordinator)
    assert client.get(url("GM0917")).status_code == 200  # her region


def test_actuals_so_far_are_suppressed_and_projected(world, client, login):
    for _ in range(3):
        make_case(world, "visited")
    login(world.officer)
    fig = client.get(url()).context["comparison"]
    referrals_so_far = fig.cells[0][1]
    assert referrals_so_far.hidden and referrals_so_far.text == "< 5"
    assert fig.cells[0][2].hidden  # the projection of a hidden count is hidden too
    for _ in range(4):
        make_case(world, "received")
    fig = client.get(url()).context["comparison"]
    assert fig.cells[0][1].text == "7"
    assert fig.cells[0][2].number == pytest.approx(7 / share_of_year(YEAR))


def test_share_of_year():
    from datetime import date

    assert share_of_year(2020, date(2026, 1, 1)) == 1.0
    assert share_of_year(2030, date(2026, 1, 1)) == 0.0
    assert share_of_year(2026, date(2026, 12, 31)) == 1.0


def test_the_list_costs_the_same_queries_for_one_and_several_plans(world, client, login, django_assert_max_num_queries):
    login(world.coordinator)
    client.get("/monitoring/planning/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/monitoring/planning/")
    for m in (world.heerlen, world.sittard, world.beek):
        CapacityPlan.objects.create(
            municipality=m,
            year=YEAR,
            expected_births=100,
            share_vulnerable_pct=10,
            acceptance_pct=70,
            visits_per_family=3,
            hours_per_visit=2,
            hours_per_fte=1300,
            hourly_rate=80,
        )
    with CaptureQueriesContext(connection) as several:
        client.get("/monitoring/planning/")
    assert len(several) == len(one)


def test_the_comparison_table_downloads_as_csv(world, client, login):
    login(world.officer)
    response = client.get(url() + "?export=plan_vs_actual")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]


def test_the_hours_in_the_comparison_share_one_number_of_decimals(world, client, login):
    """Planned hours read "495,00" beside "97,2" and "104,0": one decimal in every column of that row."""
    from kansrijk.monitoring.planner import compute

    login(world.officer)
    client.post(url(edit=True), form_data())
    plan = CapacityPlan.objects.get(municipality=world.maastricht, year=YEAR)
    for _ in range(6):
        make_case(world, "visited")
    fig = client.get(url()).context["comparison"]
    planned, so_far, projected = fig.cells[3]
    assert planned.number == pytest.approx(float(compute(plan.as_input()).hours))
    for value in (planned, so_far, projected):
        assert value.text.count(",") == 1 and len(value.text.split(",")[1]) == 1, value.text


def test_a_year_outside_the_planner_goes_to_this_years_plan_at_its_own_address(world, client, login):
    login(world.officer)
    response = client.get(url(year=3000))
    assert response.status_code == 302 and response["Location"] == url()
    assert client.get(url(year=3000, edit=True)).status_code == 404
