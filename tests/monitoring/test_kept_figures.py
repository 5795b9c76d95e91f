"""A page's figures kept for the same rows (monitoring/kept_figures.py, decision 37): the same figures as building
them anew, also after counts, names, the time, the language or the threshold change; and nothing kept of a build
whose queries cannot all be run again."""

import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.functional import Promise

from kansrijk.followup.models import FollowUpStatus
from kansrijk.monitoring import compiled, indicators, kept_figures, periods
from kansrijk.monitoring.indicators import Scope
from kansrijk.monitoring.suppression import sum_of_parts
from kansrijk.organisations.models import Municipality
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer
from tests.conftest import make_case
from tests.followup.conftest import OfferFactory, put_follow_up

pytestmark = pytest.mark.django_db

YEAR = periods.current(periods.YEAR)
PAGES = {"dashboard": indicators.dashboard_figures, "region": indicators.region_figures}


@pytest.fixture(autouse=True)
def nothing_kept():
    kept_figures.forget()
    yield
    kept_figures.forget()


def _plain(value):
    if isinstance(value, Promise):
        return str(value)
    if type(value) in (list, tuple):  # a shown value (figures.Value) is a named tuple: kept as it is
        return [_plain(v) for v in value]
    return value


def _shown(figures) -> list:
    """Every field of every figure, as it is shown (lazy texts in the active language)."""
    return [{name: _plain(value) for name, value in vars(figure).items()} for figure in figures]


def _page(page: str, scope: Scope) -> list:
    return _shown(PAGES[page](Scope(scope.municipalities, scope.period)))


def _anew(page: str, scope: Scope) -> list:
    with override_settings(KANSRIJK_KEEP_FIGURES=False):
        return _page(page, scope)


def _built(page: str, scope: Scope) -> int:
    """How many times the page's figures were built for a request (0: taken from what was kept)."""
    name = {"dashboard": "_dashboard_figures", "region": "_region_figures"}[page]
    with mock.patch.object(indicators, name, wraps=getattr(indicators, name)) as build:
        PAGES[page](Scope(scope.municipalities, scope.period))
    return build.call_count


def _scopes(demo_region) -> list[Scope]:
    quarter = periods.current(periods.QUARTER)
    scopes = [Scope((m,), period) for m in demo_region for period in (YEAR, YEAR.previous())]
    scopes += [Scope(demo_region, period) for period in (YEAR, YEAR.previous(), quarter.previous(), quarter)]
    scopes.append(Scope(demo_region[::-1], YEAR.previous()))
    return scopes


@pytest.mark.parametrize("language", ["nl", "en"])
def test_kept_figures_are_the_figures_built_anew(demo_region, language):
    scopes = _scopes(demo_region)
    with translation.override(language):
        for page in PAGES:
            anew = [_anew(page, scope) for scope in scopes]
            first = [_page(page, scope) for scope in scopes]  # each is built and kept
            assert [_built(page, scope) for scope in scopes] == [0] * len(scopes)  # each taken from what was kept
            again = [_page(page, scope) for scope in scopes]
            assert first == anew
            assert again == anew
    # Not empty figures against empty figures: the demo's year before has counts in all but a few figures.
    counted = [f for f in again[-1] if any(cell.number for row in f["cells"] for cell in row)]
    assert len(counted) >= 4


def test_a_kept_page_runs_the_same_queries_as_one_built_anew(demo_region):
    for scope in [Scope(demo_region[:1], YEAR.previous()), Scope(demo_region, YEAR.previous())]:
        for page in PAGES:
            with override_settings(KANSRIJK_KEEP_FIGURES=False), CaptureQueriesContext(connection) as built:
                _page(page, scope)
            _page(page, scope)
            with CaptureQueriesContext(connection) as kept:
                _page(page, scope)
            assert _built(page, scope) == 0
            assert _statements(kept) == _statements(built)


def _statements(captured) -> list[str]:
    """The SQL run, with the moment a follow-up counts as stagnating (now, less the days) left out."""
    return [re.sub(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[^']*'", "'now'", q["sql"]) for q in captured.captured_queries]


def test_a_changed_count_builds_the_figures_anew_from_the_rows_read(world):
    for _ in range(6):
        make_case(world, "visited")  # Maastricht
    scope = Scope((world.maastricht,), YEAR)
    before = _page("dashboard", scope)
    assert _built("dashboard", scope) == 0
    make_case(world, "visited")
    with CaptureQueriesContext(connection) as kept:
        after = _page("dashboard", scope)
    with override_settings(KANSRIJK_KEEP_FIGURES=False), CaptureQueriesContext(connection) as built:
        assert after == _anew("dashboard", scope)
    assert after != before
    funnel = next(f for f in after if f["key"] == "funnel")
    assert funnel["cells"][3][0].number == 7  # visited
    # The queries run until the first changed row are not run again for the build that follows.
    assert len(kept.captured_queries) == len(built.captured_queries)


def test_a_count_of_another_municipality_on_a_page_of_several_builds_it_anew(world):
    """The sum hides what any municipality hides: a small count that appears in Maastricht since the page was last
    shown must be hidden in the sum, whose other counts come from Heerlen."""
    for _ in range(9):
        make_case(world, "visited", municipality=world.heerlen)
    for _ in range(6):
        make_case(world, "received")  # Maastricht
    scope = Scope((world.heerlen, world.maastricht), YEAR)
    before = {page: _page(page, scope) for page in PAGES}
    for _ in range(2):
        make_case(world, "visited")  # Maastricht

    for page in PAGES:
        after = _page(page, scope)
        assert after == _anew(page, scope)
        assert after != before[page]
    funnel = next(f for f in _page("dashboard", scope) if f["key"] == "funnel")
    assert funnel["cells"][3][0].hidden  # 11 visited, of whom Maastricht's 2


def test_a_renamed_domain_is_shown_under_its_new_name(demo_region):
    scope = Scope(demo_region, YEAR.previous())
    with translation.override("nl"):
        _page("dashboard", scope)
        domain = VulnerabilityDomain.objects.filter(region=demo_region[0].region).order_by("order").first()
        domain.name_nl = "Hernoemd domein"
        domain.save()
        after = _page("dashboard", scope)
        assert after == _anew("dashboard", scope)
    domains = next(f for f in after if f["key"] == "domains")
    assert "Hernoemd domein" in domains["rows"]


def test_the_language_the_threshold_and_the_municipalitys_name_are_part_of_what_is_kept(demo_region):
    scope = Scope(demo_region, YEAR.previous())
    with translation.override("nl"):
        dutch = _page("dashboard", scope)
    with translation.override("en"):
        assert _built("dashboard", scope) == 1
        english = _page("dashboard", scope)
        assert english == _anew("dashboard", scope) != dutch
        with override_settings(KANSRIJK_SMALL_NUMBER_THRESHOLD=10):
            at_ten = _page("dashboard", scope)
            assert at_ten == _anew("dashboard", scope)
    assert at_ten != english  # more is hidden under 10 than under 5
    with translation.override("en"):
        region = _page("region", scope)
        Municipality.objects.filter(pk=demo_region[0].pk).update(name="Beek (L.)")
        renamed = Scope(
            tuple(Municipality.objects.filter(pk__in=[m.pk for m in demo_region]).order_by("name")), scope.period
        )
        assert _page("region", renamed) == _anew("region", renamed) != region


def test_the_moment_a_follow_up_stagnates_is_the_requests_own(world, settings):
    """The figures are kept for the same rows, and the rows are read with this request's values: a follow-up that
    stagnates a minute after the page was first shown is counted in it a minute later, the same day."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    days = timedelta(days=settings.KANSRIJK_STAGNATION_DAYS)
    with time_machine.travel(start, tick=False):
        put_follow_up(
            world, offer=OfferFactory(region=world.region, provider=world.provider_org), status=FollowUpStatus.SENT
        )
    scope = Scope((world.maastricht,), periods.make(periods.YEAR, 2026))

    def stuck():
        figure = next(f for f in _page("dashboard", scope) if f["key"] == "stagnating")
        return sum(row[0].number or 0 for row in figure["cells"]) + sum(1 for row in figure["cells"] if row[0].hidden)

    with time_machine.travel(start + days - timedelta(minutes=1), tick=False):
        assert stuck() == 0
        assert _built("dashboard", scope) == 0
    with time_machine.travel(start + days + timedelta(minutes=1), tick=False):
        assert stuck() == 1


# --- nothing is kept of a build whose queries cannot all be run again --------------------------------------------


def _funnel_and(extra):
    """A page of the funnel and something more its build does."""

    def page(scope):
        return kept_figures.figures(
            scope, ["test page", extra.__name__], lambda: [indicators.funnel(scope), extra(scope)]
        )

    return page


def _times_built(page, scope, times=3) -> int:
    built = 0
    for _ in range(times):
        with mock.patch.object(indicators, "funnel", wraps=indicators.funnel) as funnel:
            page(Scope(scope.municipalities, scope.period))
        built += funnel.call_count
    return built


def test_a_page_is_kept_when_its_build_runs_only_the_figure_queries(world):
    def nothing_more(scope):
        return None

    assert _times_built(_funnel_and(nothing_more), Scope((world.maastricht,), YEAR)) == 1


def test_nothing_is_kept_of_a_build_that_runs_a_query_of_its_own(world):
    def a_query_of_its_own(scope):
        return Municipality.objects.filter(pk=scope.ids[0]).exists()

    assert _times_built(_funnel_and(a_query_of_its_own), Scope((world.maastricht,), YEAR)) == 3


def test_nothing_is_kept_of_a_build_that_runs_a_figure_query_through_the_orm(world):
    """A figure query that cannot be compiled (here: its builder has a default argument) runs through the ORM; this
    one is answered without asking the database (no municipality), so only the recording can tell."""

    def through_the_orm(scope):
        return compiled.rows(
            scope, lambda s, none=(): Municipality.objects.filter(pk__in=none), lambda q: q.values_list("pk"), ("x",)
        )

    assert _times_built(_funnel_and(through_the_orm), Scope((world.maastricht,), YEAR)) == 3


def test_nothing_is_kept_of_a_build_that_reads_another_scope(world):
    def heerlens_funnel(scope):
        return indicators.funnel(Scope((world.heerlen,), scope.period))

    assert _times_built(_funnel_and(heerlens_funnel), Scope((world.maastricht,), YEAR)) == 6  # hers and Heerlen's


def _offers(scope):
    return Offer.objects.filter(municipalities__in=scope.ids)


def test_nothing_is_kept_of_a_build_whose_rows_hold_what_could_change_in_place(world):
    """A list (the languages of an offer, a JSON field) could be changed by the build after it was read, and the
    kept rows with it."""
    OfferFactory(region=world.region, provider=world.provider_org, municipalities=[world.maastricht])

    def languages(scope):
        return compiled.rows(scope, _offers, lambda q: q.values_list("languages"), ("languages",))

    assert languages(Scope((world.maastricht,), YEAR)) == [(["nl"],)]
    assert _times_built(_funnel_and(languages), Scope((world.maastricht,), YEAR)) == 3


def test_nothing_is_kept_of_figures_built_as_a_part_of_a_sum(world):
    scope = Scope((world.maastricht,), YEAR)
    with sum_of_parts({}):
        assert _times_built(_funnel_and(lambda s: None), scope) == 3
