"""The figures' queries built once per shape and run again with each scope's values (monitoring/compiled.py):
the same figures as building every query anew, and no value of one scope ever reused for another."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from kansrijk.cases.models import Case
from kansrijk.monitoring import compiled, indicators, periods
from kansrijk.monitoring.indicators import Scope
from kansrijk.organisations.models import Municipality

pytestmark = pytest.mark.django_db

YEAR = periods.current(periods.YEAR)
#: Every kind of period, this one and earlier ones: a value of the first period kept by mistake shows in the others.
PERIODS = [
    YEAR,
    YEAR.previous(),
    periods.current(periods.QUARTER),
    periods.current(periods.QUARTER).previous(),
    periods.current(periods.MONTH).previous(),
]


def _everything(scopes) -> list:
    """What the pages show of each scope's figures: every table and note, for the dashboard and the region page."""
    out = []
    for scope in scopes:
        for figure in indicators.dashboard_figures(scope) + indicators.region_figures(scope):
            out.append((figure.key, figure.table_rows(), figure.notes))
    return out


def _scopes(demo_region) -> list:
    alone = [Scope((m,), period) for period in PERIODS for m in demo_region]
    together = [Scope(demo_region, period) for period in PERIODS] + [Scope(demo_region[1:], YEAR.previous())]
    return alone + together


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_figure_is_the_same_as_with_every_query_built_anew(demo_region, language):
    with translation.override(language):
        with override_settings(KANSRIJK_COMPILED_QUERIES=False):
            built_anew = _everything(_scopes(demo_region))
        kept = _everything(_scopes(demo_region))  # the first scope compiles each shape, the others reuse it
        again = _everything(_scopes(demo_region)[::-1])[::-1]  # and in the other order
    assert kept == built_anew
    assert sorted(again, key=repr) == sorted(built_anew, key=repr)
    # Not zeros against zeros: the demo's figures have numbers.
    assert sum(1 for _key, rows, _notes in kept for row in rows for cell in row if str(cell) not in ("", "0")) > 500


def test_the_dashboards_queries_are_compiled_once_and_reused(demo_region):
    with override_settings(KANSRIJK_COMPILED_QUERIES=True):  # starts with an empty cache
        indicators.dashboard_figures(Scope(demo_region[:1], YEAR))
        shapes = compiled.cached_shapes()
        # The cohort, funnel, trend, births, reach, referrals, weeks, visits, the domains' names, two domain counts,
        # follow-ups, waiting times, stagnating, gaps, feedback: every query of the dashboard.
        assert len(shapes) == 16
        assert all(shapes.values()), shapes
        with CaptureQueriesContext(connection) as first:
            indicators.dashboard_figures(Scope(demo_region[2:], YEAR.previous()))
        assert compiled.cached_shapes() == shapes  # another municipality and year: the same shapes, nothing new
    with override_settings(KANSRIJK_COMPILED_QUERIES=False), CaptureQueriesContext(connection) as built_anew:
        indicators.dashboard_figures(Scope(demo_region[2:], YEAR.previous()))

    # The same SQL as Django writes for that scope, with that scope's values (but the stagnating follow-ups, which
    # count up to this very moment).
    def sql(captured):
        return [q["sql"] for q in captured.captured_queries if "status_changed_at" not in q["sql"]]

    assert sql(first) == sql(built_anew)
    assert len(sql(first)) == len(first.captured_queries) - 1


def test_a_builder_that_reads_more_than_its_scope_is_not_kept(demo_region):
    period = YEAR.previous()
    start = period.bounds()[0]
    scope = Scope(demo_region[:1], period)

    def finish(queryset):
        return queryset.values_list("pk").order_by("pk")

    # A value from outside the scope (a closure): through the ORM, never compiled.
    with override_settings(KANSRIJK_COMPILED_QUERIES=True):
        rows = compiled.rows(scope, lambda s: Case.objects.filter(received_at__gte=start), finish, ())
        assert compiled.cached_shapes() == {}
        assert rows == [
            (pk,) for pk in Case.objects.filter(received_at__gte=start).order_by("pk").values_list("pk", flat=True)
        ]

        # The clock: the two builds differ in a value that is no slot, so it runs through the ORM.
        def recent(s):
            return Case.objects.filter(municipality_id__in=s.ids, received_at__gte=timezone.now() - timedelta(days=9))

        compiled.rows(scope, recent, finish, ())
        assert list(compiled.cached_shapes().values()) == [False]

        # A value read from the database for the scope: it differs between the real and the stand-in municipalities.
        def of_the_region(s):
            regions = list(Municipality.objects.filter(pk__in=s.ids).values_list("region_id", flat=True))
            return Case.objects.filter(region_id__in=regions or [0])

        compiled.rows(scope, of_the_region, finish, ())
        assert list(compiled.cached_shapes().values()) == [False, False]


def test_a_change_of_settings_empties_the_kept_queries(demo_region, settings):
    scope = Scope(demo_region[:1], YEAR.previous())
    indicators.lead_times(scope)
    assert compiled.cached_shapes()
    settings.KANSRIJK_NORM_VISIT_DAYS = 1  # written into the cohort's SQL as a constant
    assert compiled.cached_shapes() == {}
    strict = indicators.lead_times(Scope(demo_region[:1], YEAR.previous()))
    with override_settings(KANSRIJK_COMPILED_QUERIES=False):
        built_anew = indicators.lead_times(Scope(demo_region[:1], YEAR.previous()))
    assert strict.table_rows() == built_anew.table_rows()


def test_a_scope_of_no_municipality_is_not_compiled_and_logs_nothing(caplog):
    with override_settings(KANSRIJK_COMPILED_QUERIES=True):
        figures = indicators.dashboard_figures(Scope((), YEAR))
        assert compiled.cached_shapes() == {}
    assert figures and not caplog.records


def test_the_domains_are_those_of_her_region_in_its_order_and_in_her_language(demo_region):
    from kansrijk.organisations.models import Region
    from kansrijk.referrals.models import VulnerabilityDomain

    elsewhere = Region.objects.create(name="Andere regio")
    VulnerabilityDomain.objects.create(region=elsewhere, code="elders", name_nl="Elders", name_en="Elsewhere")
    hers = list(VulnerabilityDomain.objects.filter(region=demo_region[0].region).order_by("order", "name_nl", "pk"))
    assert len(hers) > 3 and all(d.name_nl != d.name_en for d in hers)
    for language, names in [("nl", [d.name_nl for d in hers]), ("en", [d.name_en for d in hers])]:
        for scope in [Scope(demo_region[:1], YEAR), Scope(demo_region, YEAR.previous())]:
            with translation.override(language):
                by_key = {f.key: f for f in indicators.dashboard_figures(scope)}
            assert by_key["domains"].rows == names
            assert by_key["gaps_by_domain"].rows == names
