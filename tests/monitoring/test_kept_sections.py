"""Each figure's section kept for the same figure (templatetags/monitoring_figures.py, decision 35): the same HTML as
drawing it anew, and drawn anew when anything it is made of differs."""

from dataclasses import replace
from unittest import mock

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from kansrijk.monitoring import indicators, periods
from kansrijk.monitoring.figures import Value
from kansrijk.monitoring.indicators import Scope
from kansrijk.monitoring.templatetags import monitoring_figures
from tests.monitoring.test_exports_and_charts import small_figure

YEAR = periods.current(periods.YEAR)
QUERY = "gemeente=alle&periode=2025"


@pytest.fixture(autouse=True)
def nothing_kept():
    monitoring_figures.forget_sections()
    yield
    monitoring_figures.forget_sections()


def section(figure, query=QUERY, **context) -> str:
    template = "{% load monitoring_figures %}{% figure_section figure export_query=query csv_link=csv %}"
    return Template(template).render(Context({"figure": figure, "query": query, "csv": False, **context}))


def drawn_anew(figure, query=QUERY, csv=False, year=None) -> str:
    return str(monitoring_figures._section(figure, query, csv, year))


def drawn(action) -> int:
    """How many sections `action()` drew."""
    with mock.patch.object(monitoring_figures, "_section", wraps=monitoring_figures._section) as draw:
        action()
    return draw.call_count


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_figure_of_the_demo_is_the_same_kept_as_drawn_anew(demo_region, language):
    with translation.override(language):
        figures = [
            *indicators.dashboard_figures(Scope(demo_region, YEAR.previous())),
            *indicators.region_figures(Scope(demo_region, YEAR.previous())),
            *indicators.dashboard_figures(Scope(demo_region[:1], periods.current(periods.QUARTER))),
        ]
        first = [section(f) for f in figures]
        assert drawn(lambda: [section(f) for f in figures]) == 0  # all taken from what was kept
        again = [section(f) for f in figures]
        assert first == again == [drawn_anew(f) for f in figures]
    assert sum("<svg" in html for html in again) > 10  # charts and tables, not empty sections


@pytest.mark.parametrize(
    "change",
    [
        lambda f: replace(f, cells=[[Value("7", 7.0), *row[1:]] for row in f.cells]),  # a count
        lambda f: replace(f, cells=[[Value("x", None, True), *row[1:]] for row in f.cells]),  # hidden now
        lambda f: replace(f, title="Another title"),
        lambda f: replace(f, rows=[f"{row}!" for row in f.rows]),
        lambda f: replace(f, notes=[*f.notes, "A note"]),
        lambda f: replace(f, chart="compare"),
        lambda f: replace(f, unit="days"),
    ],
)
def test_a_figure_that_differs_in_anything_is_drawn_anew(change):
    with translation.override("en"):
        figure = small_figure()
        kept = section(figure)
        changed = change(figure)
        assert section(changed) == drawn_anew(changed) != kept


def test_the_language_the_links_and_the_threshold_are_part_of_what_is_kept():
    figure = small_figure()
    with translation.override("en"):
        english = section(figure)
    with translation.override("nl"):
        dutch = section(figure)
        assert dutch == drawn_anew(figure) != english
        other_links = section(figure, query="gemeente=GM0935&periode=2024")
        assert "GM0935" in other_links and "GM0935" not in dutch
        own_csv = section(figure, csv=True, year=2024)
        assert own_csv == drawn_anew(figure, "", True, 2024) and "jaar=2024" in own_csv
        assert section(figure, csv=True, year=2023) == drawn_anew(figure, "", True, 2023)
        with override_settings(KANSRIJK_SMALL_NUMBER_THRESHOLD=10):
            at_ten = section(figure)
            assert "onder 10 worden niet getekend" in at_ten
        assert "onder 5 worden niet getekend" in section(figure)


def test_a_figure_with_a_field_that_cannot_be_a_key_is_drawn_each_time():
    figure = small_figure()
    figure.notes = [{"not": "hashable"}]  # as a note that someday is a dict would be
    assert monitoring_figures._section_key(figure, QUERY, False, None) is None
    assert drawn(lambda: [section(figure), section(figure)]) == 2
    assert not monitoring_figures._sections


@pytest.mark.parametrize(
    "field, value",
    [
        ("notes", ["a note", ["a list inside"]]),  # a list after the first item
        ("chart_columns", (0, [1])),  # a list inside a tuple
        ("cells", [[Value("7", 7.0), [Value("8", 8.0)]]]),  # a list inside a row
    ],
)
def test_a_list_inside_a_field_is_never_taken_for_another_figures_section(field, value):
    """Only a list, and a list of lists (the cells), are made tuples for the key; a list found anywhere else leaves
    the key unhashable, so the section is drawn each time rather than taken for a figure it might differ from."""
    figure = replace(small_figure(), **{field: value})
    assert monitoring_figures._section_key(figure, QUERY, False, None) is None
    assert not monitoring_figures._sections


def test_equal_cells_made_anew_find_the_kept_section_and_other_cells_do_not():
    figure = small_figure()
    section(figure)
    same = replace(figure, cells=[[Value(v.text, v.number, v.hidden, v.is_count) for v in row] for row in figure.cells])
    assert same.cells[0][0] is not figure.cells[0][0]
    assert drawn(lambda: section(same)) == 0
    hidden = replace(figure, cells=[[replace_value(row[0], hidden=True), *row[1:]] for row in figure.cells])
    assert drawn(lambda: section(hidden)) == 1


def replace_value(value, **changes):
    return value._replace(**changes)


def test_only_the_latest_sections_are_kept():
    figure = small_figure()
    with translation.override("en"):
        for i in range(monitoring_figures.KEPT_SECTIONS + 5):
            section(figure, query=f"periode={i}")
        assert len(monitoring_figures._sections) == monitoring_figures.KEPT_SECTIONS
        newest = f"periode={monitoring_figures.KEPT_SECTIONS + 4}"
        assert drawn(lambda: section(figure, query=newest)) == 0
        assert drawn(lambda: section(figure, query="periode=0")) == 1  # the oldest went first
