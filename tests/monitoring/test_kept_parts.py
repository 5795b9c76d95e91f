"""Each municipality's hidden cells on a page of several, kept for the same rows (monitoring/kept_parts.py): the
same figures as working them out anew, also after counts, names, the language or the threshold change."""

from unittest import mock

import pytest
from django.test import override_settings
from django.utils import translation

from kansrijk.monitoring import indicators, kept_parts, periods
from kansrijk.monitoring.indicators import Scope
from kansrijk.referrals.models import VulnerabilityDomain
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

YEAR = periods.current(periods.YEAR)


@pytest.fixture(autouse=True)
def nothing_kept(settings):
    # What a page of several municipalities works out of its parts, so the page's figures are built each time
    # (kept_figures.py would otherwise keep the whole page: tests/monitoring/test_kept_figures.py).
    settings.KANSRIJK_KEEP_FIGURES = False
    kept_parts.forget()
    yield
    kept_parts.forget()


def _shown(scope) -> list:
    """Every table of the dashboard and the region page of this scope, as they are shown."""
    figures = indicators.dashboard_figures(scope) + indicators.region_figures(scope)
    return [(f.key, f.table_rows(), f.notes) for f in figures]


def _anew(scope) -> list:
    with override_settings(KANSRIJK_KEEP_PART_LABELS=False):
        return _shown(Scope(scope.municipalities, scope.period))


def _kept(scope) -> list:
    return _shown(Scope(scope.municipalities, scope.period))


def _others_built(scope) -> int:
    """How many times the figures of a scope's municipalities after the first were built for it."""
    with mock.patch.object(indicators, "_hidden_in", wraps=indicators._hidden_in) as built:
        _kept(scope)
    return sum(1 for call in built.call_args_list if len(call.args[1]) > 1)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_kept_hidden_cells_give_the_same_figures_as_working_them_out_anew(demo_region, language):
    scopes = [Scope(demo_region, period) for period in (YEAR, YEAR.previous(), periods.current(periods.QUARTER))]
    scopes.append(Scope(demo_region[::-1], YEAR.previous()))  # another municipality first
    scopes.append(Scope(demo_region[1:], YEAR.previous()))
    with translation.override(language):
        anew = [_anew(scope) for scope in scopes]
        first = [_kept(scope) for scope in scopes]  # each works the others' cells out and keeps them
        again = [_kept(scope) for scope in scopes]  # each takes them from what was kept
        assert first == anew
        assert again == anew
        assert [_others_built(scope) for scope in scopes] == [0] * len(scopes)  # nothing was worked out again
    # Not empty tables against empty tables: the sum of the demo's year before hides what Beek hides.
    hidden = {key: cell.hidden for key, rows, _notes in again[1] for row in rows for cell in row[1:] if cell.hidden}
    assert len(hidden) > 5


def test_a_small_count_in_another_municipality_since_the_page_was_last_shown_is_hidden_in_the_sum(world):
    """Heerlen first, Maastricht second: Maastricht's hidden cells are the kept ones. Two women of Maastricht
    visited since: her "< 5" must be hidden in the sum, or the sum less Heerlen's nine gives the two away."""
    for _ in range(9):
        make_case(world, "visited", municipality=world.heerlen)
    for _ in range(6):
        make_case(world, "received")  # Maastricht
    scope = Scope((world.heerlen, world.maastricht), YEAR)
    before = _kept(scope)
    assert _kept(scope) == before and _others_built(scope) == 0  # kept, and taken from there
    for _ in range(2):
        make_case(world, "visited")  # Maastricht

    after = _kept(scope)

    assert after == _anew(scope)
    assert after != before
    funnel = next(f for f in indicators.dashboard_figures(Scope(scope.municipalities, YEAR)) if f.key == "funnel")
    visited = funnel.cells[3][0]
    assert visited.hidden  # 11 visited, of whom Maastricht's 2


def test_a_renamed_domain_is_a_different_row(demo_region):
    """The hidden cells are kept by their labels: a domain renamed since must not leave its small count shown in
    the sum under the new name."""
    scope = Scope(demo_region[::-1], YEAR.previous())  # Beek, with the small numbers, last: hers are the kept ones
    beek = demo_region[0]
    beeks_domains = next(f for f in indicators.dashboard_figures(Scope((beek,), YEAR.previous())) if f.key == "domains")
    hidden_rows = [row for row, cells in zip(beeks_domains.rows, beeks_domains.cells, strict=True) if cells[0].hidden]
    assert hidden_rows, "the demo's Beek hides a domain"
    _kept(scope)
    domain = VulnerabilityDomain.objects.get(region=beek.region, name_nl=hidden_rows[0])
    domain.name_nl = "Hernoemd domein"
    domain.save()

    with translation.override("nl"):
        assert _kept(scope) == _anew(scope)
        together = next(
            f for f in indicators.dashboard_figures(Scope(scope.municipalities, scope.period)) if f.key == "domains"
        )
    assert ("cell", "Hernoemd domein", together.columns[0]) in together.hidden_labels()


def test_the_language_and_the_threshold_are_part_of_what_is_kept(demo_region):
    scope = Scope(demo_region[::-1], YEAR.previous())
    with translation.override("nl"):
        _kept(scope)
    with translation.override("en"):
        assert _others_built(scope) == 2  # English labels: worked out anew, for the dashboard and the region page
        assert _kept(scope) == _anew(scope)
    with translation.override("en"):
        at_five = _kept(scope)
        with override_settings(KANSRIJK_SMALL_NUMBER_THRESHOLD=10):
            at_ten = _kept(scope)
            assert at_ten == _anew(scope)
    assert at_ten != at_five  # more is hidden under 10 than under 5


def test_nothing_is_kept_when_a_municipality_of_the_sum_reads_more_than_the_sums_rows(demo_region):
    """A figure that someday runs a query of its own for one municipality: her cells are never kept, and the page
    is worked out as before."""
    from kansrijk.organisations.models import Municipality

    real = indicators.trend

    def trend_with_a_query_of_its_own(scope):
        if scope.parent is not None:
            Municipality.objects.filter(pk=scope.ids[0]).exists()
        return real(scope)

    scope = Scope(demo_region, YEAR.previous())
    with mock.patch.object(indicators, "trend", trend_with_a_query_of_its_own):
        builders = [indicators.trend, indicators.referrals_by_source]
        indicators._parts_hidden(Scope(scope.municipalities, scope.period), builders)
        assert not kept_parts._kept
        with mock.patch.object(indicators, "_hidden_in", wraps=indicators._hidden_in) as built:
            indicators._parts_hidden(Scope(scope.municipalities, scope.period), builders)
        assert [len(call.args[1]) for call in built.call_args_list] == [1, len(demo_region) - 1]


def test_a_row_or_a_key_of_another_kind_is_never_kept(demo_region):
    assert kept_parts.rows_read({"rows": [(1, 2)], "other": {"a": 1}}) is None
    assert kept_parts.rows_read({"rows": [(1, 2), [3, 4]]}) is None
    assert kept_parts.get(("key",), None) is None
    unhashable = demo_region[0]
    unhashable.name = ["a list"]  # as a JSON field would hold
    assert kept_parts.key([indicators.trend], (unhashable,), YEAR) is None
    kept_parts.put(None, (("rows", ((1,),)),), {"trend": set()})
    assert not kept_parts._kept


def test_only_the_latest_sums_are_kept():
    for i in range(kept_parts.KEPT + 10):
        kept_parts.put(("key", i), (("rows", ((i,),)),), {"funnel": {("all",)}})
    assert len(kept_parts._kept) == kept_parts.KEPT
    assert kept_parts.get(("key", 0), (("rows", ((0,),)),)) is None
    newest = kept_parts.KEPT + 9
    assert kept_parts.get(("key", newest), (("rows", ((newest,),)),)) == ({"funnel": frozenset({("all",)})}, {})
    assert kept_parts.get(("key", newest), (("rows", ((newest + 1,),)),)) is None  # other rows: not kept


def test_nothing_is_kept_when_a_municipality_of_the_sum_reads_rows_the_first_did_not(demo_region):
    """The rows compared are those the first municipality's figures made the sum read: a figure that reads other
    rows for another municipality (here rows that need no query) is never kept."""
    real = indicators.trend
    first = demo_region[0]

    def trend_reading_more_for_the_others(scope):
        if scope.parent is not None and scope.ids[0] != first.pk:
            indicators._rows(scope, "more rows", lambda s: [(m.pk, 1) for m in s.municipalities])
        return real(scope)

    with mock.patch.object(indicators, "trend", trend_reading_more_for_the_others):
        builders = [indicators.trend]
        indicators._parts_hidden(Scope(demo_region, YEAR.previous()), builders)
        assert not kept_parts._kept


def test_what_the_municipalities_hide_does_not_depend_on_a_sum_being_built_around_them(demo_region):
    """Each municipality's figures are protected on her own, also when a sum is being built around the call: what
    is kept of them must depend on their rows only."""
    from kansrijk.monitoring.suppression import sum_of_parts

    scope = Scope(demo_region, YEAR.previous())
    alone = indicators._parts_hidden(Scope(scope.municipalities, scope.period), indicators.DASHBOARD)
    kept_parts.forget()
    funnel = indicators.funnel(Scope(demo_region[:1], scope.period))
    everything = {("cell", row, column) for row in funnel.rows for column in funnel.columns}
    with sum_of_parts({"funnel": everything}):
        inside = indicators._parts_hidden(Scope(scope.municipalities, scope.period), indicators.DASHBOARD)
    assert inside == alone
    assert not everything <= alone["funnel"]  # the forced cells would have shown


def test_the_region_page_takes_each_municipalitys_sources_from_what_was_kept(demo_region):
    """The sources per municipality show each one's own list: kept with the hidden cells, they are not built
    again for the same rows, and the page is the same as worked out anew, also after a referral changed."""
    from kansrijk.referrals.models import Referral, ReferralSource

    scope = Scope(demo_region[::-1], YEAR.previous())

    def region_page():
        # (Not a mock of the builder itself: the builders are part of what is kept, and a mock is a new one.)
        with mock.patch.object(indicators, "_referral_lists", wraps=indicators._referral_lists) as built:
            shown = [(f.key, f.table_rows(), f.notes) for f in indicators.region_figures(Scope(*_inputs(scope)))]
        return shown, {call.args[0].ids[0] for call in built.call_args_list if call.args[0].parent is not None}

    first_time, built_first = region_page()
    again, built_again = region_page()
    with override_settings(KANSRIJK_KEEP_PART_LABELS=False):
        anew, _built = region_page()
    assert first_time == again == anew
    assert built_first == {m.pk for m in demo_region}
    assert built_again == {scope.municipalities[0].pk}  # the first is built every time, the others were kept
    sources = next(rows for key, rows, _notes in again if key == "region_sources")
    assert sum(1 for row in sources for cell in row[1:] if cell.text not in ("0", "")) > 3  # not an empty table

    # One referral of Heerlen (not the first) now came from the GP: her row and the totals change.
    start, end = scope.period.bounds()
    referral = Referral.objects.filter(
        case__municipality=scope.municipalities[1], created_at__gte=start, created_at__lt=end
    ).filter(source=ReferralSource.MIDWIFE)[0]
    Referral.objects.filter(pk=referral.pk).update(source=ReferralSource.GP)
    changed, built_changed = region_page()
    with override_settings(KANSRIJK_KEEP_PART_LABELS=False):
        assert changed == region_page()[0]
    assert built_changed == {m.pk for m in demo_region}  # other rows: all built anew
    assert changed != again


def _inputs(scope) -> tuple:
    return scope.municipalities, scope.period
