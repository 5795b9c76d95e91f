"""The synthetic country and the demo history: every database constraint holds, counts add up, growth adds."""

import pytest
from django.core.management import call_command

from kansrijk.care.models import Visit
from kansrijk.cases.models import Case
from kansrijk.monitoring import indicators, periods, synthetic
from kansrijk.monitoring.models_births import LiveBirths
from kansrijk.organisations.models import Municipality

pytestmark = pytest.mark.django_db


def test_a_small_country_grows_without_breaking_a_constraint(capsys):
    # 1,000 births a year, 10 % referred: 100 cases a year, so 300 cases are the last three years.
    call_command("generate_synthetic", cases=300, years=3, births=1000)
    country = Municipality.objects.filter(region__name__startswith=synthetic.COUNTRY_REGION_PREFIX)
    assert country.count() == 342
    assert Case.objects.count() == 300
    assert LiveBirths.objects.filter(municipality__in=country).count() == 342 * 3
    # Spread over many municipalities and over the years, in proportion to births.
    assert Case.objects.values("municipality").distinct().count() > 50
    years = {d.year for d in Case.objects.dates("received_at", "year")}
    assert len(years) >= 3  # spread over the last three years
    assert Visit.objects.filter(status="held").exists()

    newest = Case.objects.order_by("received_at").first().received_at
    call_command("generate_synthetic", cases=450, years=3, births=1000)  # grows by 150, older, no second country
    assert Case.objects.count() == 450
    assert country.count() == 342
    assert Case.objects.filter(received_at__lt=newest).count() >= 140  # the history grew back in time
    call_command("generate_synthetic", cases=100, years=3, births=1000)  # never removes
    assert Case.objects.count() == 450


def test_the_biggest_synthetic_municipality_has_a_dashboard():
    synthetic.build_country(years=2, births=2000)
    synthetic.grow_country(400)
    biggest = Municipality.objects.get(cbs_code="GM5001")
    figures = indicators.dashboard_figures(indicators.Scope((biggest,), periods.current()))
    assert {f.key for f in figures} >= {"funnel", "reach", "lead_times"}


def test_the_demo_history_is_loaded_once_and_closed():
    from io import StringIO

    call_command("load_demo", stdout=StringIO())
    demo = Municipality.objects.filter(region__name="Demo-regio")
    history = Case.objects.filter(municipality__in=demo, client__last_name__startswith="Synthetisch")
    n = history.count()
    assert n > 100
    assert not history.exclude(status="closed").exists()  # nobody's work list fills up
    call_command("load_demo", stdout=StringIO())
    assert history.count() == n
