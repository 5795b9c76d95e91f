"""The synthetic country and the demo history: every database constraint holds, counts add up, growth adds."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kansrijk.accounts.models import User
from kansrijk.agreements.models import Agreement
from kansrijk.care.models import Visit
from kansrijk.cases.models import Case
from kansrijk.desk.models import Question
from kansrijk.feedback.models import Feedback
from kansrijk.feedback.selectors import feedback_due_for_cases
from kansrijk.followup.models import FollowUp, FollowUpEvent
from kansrijk.monitoring import indicators, monthly, periods, synthetic
from kansrijk.monitoring.models_births import LiveBirths
from kansrijk.organisations.models import Municipality
from kansrijk.referrals.models import Referral

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
    # The lists that grow with the history have rows: a referrer's referrals, a provider's follow-ups,
    # the desk's questions, the agreements register.
    assert Referral.objects.filter(referrer__email__endswith=synthetic.BENCH_DOMAIN).count() > 150
    assert FollowUp.objects.filter(offer__provider__kind="provider", sent_at__isnull=False).exists()
    # One question for every five referrals, in total (each municipality's fraction carried to the next).
    assert Question.objects.filter(region__name__startswith=synthetic.COUNTRY_REGION_PREFIX).count() in (59, 60)
    assert Agreement.objects.filter(region__name__startswith=synthetic.COUNTRY_REGION_PREFIX).count() >= 25 * 20
    assert User.objects.filter(email=f"aanbieder.r1@{synthetic.BENCH_DOMAIN}", memberships__role="provider").exists()
    assert User.objects.filter(email=f"privacy.r1@{synthetic.BENCH_DOMAIN}").exists()
    # Nurses tell referrers what happened, as in real use: of the cases closed a month ago or more, few still
    # have feedback due (else the day lists would fill up with years of it).
    month_ago = timezone.now() - timedelta(days=30)
    old_cases = list(Case.objects.filter(status="closed", closed_at__lt=month_ago))
    assert len(old_cases) > 100
    due = [case for case, items in feedback_due_for_cases(old_cases).items() if items]
    assert Feedback.objects.filter(moment__in=["closed", "declined"]).exists()
    assert len(due) <= max(5, len(old_cases) // 10)
    # Referrers read what they are sent; old follow-up referrals have settled (a provider's running list stays
    # the size of her current work, not of twenty years).
    old_feedback = Feedback.objects.filter(sent_at__lt=month_ago)
    assert old_feedback.filter(read_at__isnull=True).count() <= old_feedback.count() // 10 + 1
    settled = timezone.now() - timedelta(days=synthetic.FOLLOW_UP_SETTLED_DAYS + 10)
    assert not FollowUp.objects.filter(created_at__lt=settled, status__in=["sent", "accepted", "waiting_list"]).exists()
    ends = timezone.now() - timedelta(days=synthetic.FOLLOW_UP_ENDS_DAYS + 20)
    assert not FollowUp.objects.filter(created_at__lt=ends, status="started").exists()
    assert FollowUp.objects.filter(status="ended").exists()

    newest = Case.objects.order_by("received_at").first().received_at
    call_command("generate_synthetic", cases=450, years=3, births=1000)  # grows by 150, older, no second country
    assert Case.objects.count() == 450
    assert country.count() == 342
    assert User.objects.filter(email=f"vlk1.r1@{synthetic.BENCH_DOMAIN}").count() == 1  # people made once
    assert Case.objects.filter(received_at__lt=newest).count() >= 140  # the history grew back in time
    call_command("generate_synthetic", cases=100, years=3, births=1000)  # never removes
    assert Case.objects.count() == 450
    assert monthly.differences() == []  # written in bulk, and the monthly summary made again


def test_visits_and_follow_ups_carry_the_history_real_use_leaves():
    call_command("generate_synthetic", cases=300, years=3, births=1000)
    now = timezone.now()
    # Three visits held per family visited, on average, and some planned visits cancelled and held later.
    held = Visit.objects.filter(status="held")
    families = held.values("case").distinct().count()
    assert 2.5 <= held.count() / families <= 4
    cancelled = Visit.objects.filter(status="cancelled")
    assert held.count() / 10 <= cancelled.count() <= held.count() / 3
    assert not cancelled.filter(cancellation_note="").exists()
    # Every follow-up referral has the status changes the application records, in order, ending in its status.
    follow_ups = list(FollowUp.objects.prefetch_related("events"))
    assert len(follow_ups) > 100
    for follow_up in follow_ups:
        events = list(follow_up.events.all())
        assert (events[0].from_status, events[0].to_status) == ("", "proposed")
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_status == before.to_status
            assert before.at <= after.at
        assert events[-1].to_status == follow_up.status
        assert events[-1].at == follow_up.status_changed_at  # the stagnation and a provider's list read this
        assert events[-1].at <= now
        assert (follow_up.sent_at is not None) == any(e.to_status == "sent" for e in events)
    assert FollowUpEvent.objects.count() >= 2 * len(follow_ups)


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


def test_a_size_too_small_for_the_whole_country_fills_its_first_regions_for_the_years_asked():
    # 1,000 births a year, 10 % referred: the whole country refers 100 a year, so 120 cases would be its last
    # fourteen months. Asked for three years at least, they go to its first regions, at the same density.
    call_command("generate_synthetic", cases=120, years=3, births=1000, min_years=3)
    chosen = synthetic.regions_for(120, years=3)
    assert chosen is not None and 1 <= chosen < 25
    in_regions = {synthetic.region_number(m.region.name) for m in Municipality.objects.filter(cases__isnull=False)}
    assert in_regions == set(range(1, chosen + 1))  # region 01, whose pages the bench measures, among them
    yearly = {}
    for place in synthetic.country_places():
        number = synthetic.region_number(place.municipality.region.name)
        yearly[number] = yearly.get(number, 0) + place.births_per_year * synthetic.REFERRAL_RATE
    # As many regions as fill three years: one more would not.
    assert 3 * sum(yearly[n] for n in range(1, chosen + 1)) <= 120
    assert 3 * sum(yearly[n] for n in range(1, chosen + 2)) > 120
    assert Case.objects.count() == 120
    earliest = Case.objects.order_by("received_at").first().received_at
    assert earliest <= timezone.now() - timedelta(days=3 * 365 - 7)
    assert monthly.differences() == []
    # Grown again with the same value: older cases in the same regions.
    call_command("generate_synthetic", cases=150, years=3, births=1000, min_years=3)
    assert Case.objects.count() == 150
    assert {synthetic.region_number(m.region.name) for m in Municipality.objects.filter(cases__isnull=False)} <= set(
        range(1, chosen + 1)
    )
    assert Case.objects.order_by("received_at").first().received_at < earliest


def test_cases_that_span_the_years_asked_in_the_whole_country_fill_all_of_it():
    synthetic.build_country(years=3, births=1000)
    assert synthetic.regions_for(400, years=3) is None  # 100 a year: four years of the whole country
    assert synthetic.regions_for(10, years=3) == 1  # never fewer than one region
    call_command("generate_synthetic", cases=400, years=3, births=1000, min_years=3)
    assert Case.objects.values("municipality__region").distinct().count() == 25
