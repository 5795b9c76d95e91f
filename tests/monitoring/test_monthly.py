"""The monthly summary of cases (trend charts, reach) agrees with the cases after every kind of change."""

import threading
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from kansrijk.cases.models import Case
from kansrijk.cases.services import case_transition
from kansrijk.monitoring import indicators, monthly, periods
from kansrijk.monitoring.models import MonthlyCases
from kansrijk.organisations.models import Municipality, Region

from ..conftest import http_request, make_case, refer

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def summary(municipality) -> dict:
    return {
        month: (r, v)
        for month, r, v in MonthlyCases.objects.filter(municipality=municipality)
        .exclude(referred=0, first_visits=0)
        .values_list("month", "referred", "first_visits")
    }


def this_month():
    return monthly.month_of(timezone.now())


def test_a_referral_and_its_first_visit_are_counted_in_their_months(world):
    referral = refer(world).referral
    assert summary(world.maastricht) == {this_month(): (1, 0)}

    case = Case.objects.get(pk=referral.case_id)
    request = http_request(world.planner)
    case = case_transition(request=request, case=case, name="assign", nurse=world.nurse)
    case = case_transition(request=http_request(world.nurse), case=case, name="contact")
    case = case_transition(request=http_request(world.nurse), case=case, name="visit")

    assert summary(world.maastricht) == {this_month(): (1, 1)}
    assert monthly.differences() == []


def test_a_second_referral_of_the_same_pregnancy_is_one_woman(world):
    refer(world, key=None)
    refer(world)  # same woman, same due date: joins the open case
    assert Case.objects.count() == 1
    assert summary(world.maastricht) == {this_month(): (1, 0)}


def test_the_month_is_the_dutch_month(world):
    # 31 January 23:30 UTC is 1 February 00:30 in the Netherlands.
    make_case(world, received_at=datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert list(summary(world.maastricht)) == [datetime(2026, 2, 1, tzinfo=AMS).date()]
    assert monthly.differences() == []


def test_the_months_of_a_span_counted_from_the_cases_are_the_summarys(world):
    """`live_counts(span=…)` is what `make bench` replays as the raw SQL of the summary's reads: the same
    months, from the cases themselves, and none outside the span (in Dutch time at its edges)."""
    at = lambda *args: datetime(*args, tzinfo=AMS)  # noqa: E731
    make_case(world, "visited", received_at=at(2025, 12, 31, 23, 30), first_visit_at=at(2026, 1, 5, 10))
    make_case(world, received_at=at(2026, 1, 1, 0, 30))
    make_case(world, "visited", received_at=at(2026, 2, 27, 9), first_visit_at=at(2026, 3, 1, 0, 15))
    make_case(world, received_at=at(2026, 3, 1, 0, 15), municipality=world.heerlen)
    make_case(world, received_at=at(2026, 4, 2, 8))  # after the span
    span = (datetime(2026, 1, 1).date(), datetime(2026, 4, 1).date())
    ids = [world.maastricht.pk, world.heerlen.pk]

    counted = {key: tuple(n) for key, n in monthly.live_counts(ids, span=span).items()}

    in_summary = {
        (m, month): (r, v)
        for m, month, r, v in monthly.months(ids, *span).values_list(
            "municipality_id", "month", "referred", "first_visits"
        )
        if r or v
    }
    assert counted == in_summary
    month = lambda n: datetime(2026, n, 1).date()  # noqa: E731
    assert counted == {
        (world.maastricht.pk, month(1)): (1, 1),  # 1 January 00:30 referred, 5 January visited
        (world.maastricht.pk, month(2)): (1, 0),
        (world.maastricht.pk, month(3)): (0, 1),
        (world.heerlen.pk, month(3)): (1, 0),
    }


def test_a_correction_moves_the_count_to_its_new_month_and_municipality(world):
    case = make_case(world, "visited", received_at=datetime(2025, 3, 10, 12, tzinfo=AMS))
    case.received_at = datetime(2025, 5, 2, 12, tzinfo=AMS)  # e.g. corrected in the admin
    case.municipality = world.heerlen
    case.save()
    assert summary(world.maastricht) == {}
    assert summary(world.heerlen) == {datetime(2025, 5, 1).date(): (1, 0), this_month(): (0, 1)}
    assert monthly.differences() == []
    case.delete()  # the application never deletes a case; the admin could
    assert summary(world.heerlen) == {}
    assert monthly.differences() == []


def test_the_check_finds_drift_and_the_rebuild_repairs_it(world):
    make_case(world, "visited")
    # A bulk write the summary does not hear of (as loaders do before they rebuild).
    Case.objects.filter(municipality=world.maastricht).update(first_visit_at=None)
    with pytest.raises(CommandError, match="Months that disagree: 1"):
        call_command("monthly_figures", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("monthly_figures", "--rebuild", stdout=out)
    assert "made again" in out.getvalue()
    call_command("monthly_figures", stdout=(out := StringIO()))
    assert "agrees with the cases" in out.getvalue()
    assert summary(world.maastricht) == {this_month(): (1, 0)}


def test_the_trend_and_reach_read_the_summary_and_agree_with_the_cases(world, settings):
    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1  # show every count: this test is about the numbers
    now = timezone.now()
    for days in (0, 1, 40, 100, 400, 401, 800, 1500, 3000):
        at = now - timedelta(days=days)
        make_case(world, "visited", received_at=at - timedelta(days=10), first_visit_at=at)
    make_case(world, received_at=now - timedelta(days=2), municipality=world.heerlen)  # another municipality
    assert monthly.differences() == []
    for kind in (periods.YEAR, periods.QUARTER, periods.MONTH):
        scope = indicators.Scope(municipalities=(world.maastricht,), period=periods.current(kind))
        shown = [tuple(c.number for c in row) for row in indicators.trend(scope).cells]
        expected = []
        for p in scope.period.series(periods.trend_length(kind)):
            start, end = p.bounds()
            cases = Case.objects.filter(municipality=world.maastricht)
            expected.append(
                (
                    cases.filter(received_at__gte=start, received_at__lt=end).count(),
                    cases.filter(first_visit_at__gte=start, first_visit_at__lt=end).count(),
                )
            )
        assert shown == expected, kind
        assert sum(r for r, _v in expected) > 0

    scope = indicators.Scope(municipalities=(world.maastricht, world.heerlen), period=periods.current(periods.YEAR))
    start, end = periods.current(periods.YEAR).bounds()
    reach = indicators.reach(scope)
    for municipality, row in zip(scope.municipalities, reach.cells, strict=True):
        cases = Case.objects.filter(municipality=municipality, received_at__gte=start, received_at__lt=end)
        assert row[0].number == cases.count()


def test_two_referrals_at_once_in_one_month_both_count(transactional_db):
    """Two transactions count a case in the same new month at the same moment: the second waits for the
    first's row (unique month), then adds to it. Neither count is lost."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks between connections: PostgreSQL (CI runs the suite there too); SQLite writes one at a time"
        )
    region = Region.objects.create(name="Gelijktijdig")
    municipality = Municipality.objects.create(region=region, name="Gelijktijdig", cbs_code="GM9990")
    both_inside = threading.Barrier(2)
    errors = []

    def refer_one():
        try:
            with transaction.atomic():
                both_inside.wait(timeout=10)
                monthly.move(None, (municipality.pk, timezone.now(), None))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refer_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert MonthlyCases.objects.get(municipality=municipality).referred == 2


def test_no_code_outside_the_loaders_writes_the_counted_dates_past_the_signals():
    """A queryset `.update()` of a case's referral date, first visit or municipality is not seen by the summary.
    Only the loaders do that (and rebuild afterwards); the application goes through the guarded update."""
    import re
    from pathlib import Path

    root = Path(monthly.__file__).resolve().parents[1]
    pattern = re.compile(r"Case\.objects[^\n]*\.update\([^)]*\b(received_at|first_visit_at|municipality)")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "demo" not in path.name and "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert offenders == []
