"""Charts, CSV, Excel and the yearly PDF are made from Figures only: a hidden count never shows as itself."""

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from kansrijk.monitoring import charts, exports, periods
from kansrijk.monitoring.figures import Figure, statistic
from kansrijk.monitoring.report import yearly_report_pdf
from tests.conftest import make_case


def small_figure(chart="bars"):
    # 3 is hidden; with the total shown, 24 - 12 - 9 would give it away: the 9 is hidden too.
    return Figure.counts(
        key="by_source",
        title="Referrals <by> source",
        definition="What is counted.",
        row_header="Source",
        rows=["Midwife", "GP", "Self"],
        columns=["Referrals"],
        counts=[[12], [9], [3]],
        chart=chart,
    )


def test_every_chart_kind_renders_an_accessible_svg_without_hidden_numbers():
    table = Figure.counts(
        key="grid",
        title="Grid",
        definition="d",
        row_header="Row",
        rows=["A", "B", "C"],
        columns=["x", "y"],
        counts=[[20, 3], [15, 11], [7, 9]],
        chart="compare",
    )
    for figure in [small_figure("bars"), small_figure("funnel"), table]:
        svg = str(charts.render(figure))
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert f'aria-labelledby="{figure.key}-chart-title {figure.key}-chart-desc"' in svg
        assert "<title" in svg and "<desc" in svg
        texts = re.findall(r">([^<>]+)</text>", svg)
        assert "3" not in texts  # the hidden count is "< 5", never its value
        assert "&lt; 5" in texts
    table.chart = "stacked"
    assert "<svg" in str(charts.render(table))
    trend = Figure.counts(
        key="t",
        title="t",
        definition="d",
        row_header="Period",
        rows=["2024", "2025", "2026"],
        columns=["Referred"],
        counts=[[20], [3], [15]],
        totals=False,
        chart="trend",
    )
    trend_svg = str(charts.render(trend))
    assert trend_svg.count("<circle") == 3  # two points and the legend's marker: the hidden 3 is a gap
    assert ">3<" not in trend_svg and "&lt; 5" in trend_svg


def test_labels_are_escaped_in_the_svg():
    svg = str(charts.render(small_figure()))
    assert "<by>" not in svg and "&lt;by&gt;" in svg


def test_a_figure_without_a_chart_or_without_data_draws_nothing():
    figure = small_figure(chart=None)
    assert str(charts.render(figure)) == ""
    empty = Figure.counts(key="e", title="e", definition="d", row_header="r", rows=["a"], columns=["n"], counts=[[0]])
    assert str(charts.render(empty)) == ""


def test_csv_holds_the_protected_table():
    text = exports.figure_csv(small_figure())
    lines = text.strip().split("\r\n")
    assert lines[0] == "Source;Referrals"
    # The 3 is small ("< 5"); the 9 is hidden only so that 3 cannot be worked out from the total ("x").
    assert lines[1:-1] == ["Midwife;12", "GP;x", "Self;< 5"] and lines[-1].endswith(";24")
    assert ";3" not in text and ";9" not in text


def test_xlsx_has_an_about_sheet_and_a_sheet_per_figure_with_hidden_cells_as_text():
    stats = Figure.statistics(
        key="lead",
        title="Lead",
        definition="d",
        row_header="Step",
        rows=["a"],
        columns=["Median"],
        cells=[[statistic(4.5, 3)]],
    )
    data = exports.figures_xlsx([small_figure(), stats], title="T", subtitle="S")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[1:] == ["by_source", "lead"]
    values = [cell for row in book["by_source"].iter_rows(values_only=True) for cell in row if cell is not None]
    assert 12 in values and 24 in values
    assert 3 not in values and 9 not in values
    assert values.count("< 5") == 1 and values.count("x") == 1
    lead_values = [c for row in book["lead"].iter_rows(values_only=True) for c in row if c is not None]
    assert 4.5 not in lead_values  # a median over 3 women is not shown


def test_the_yearly_report_is_a_pdf_with_the_municipality_and_without_hidden_numbers(world):
    for _ in range(3):
        make_case(world, "visited")
    from kansrijk.monitoring import indicators

    figures = indicators.dashboard_figures(indicators.Scope((world.maastricht,), periods.current()))
    pdf = yearly_report_pdf(municipality_name="Maastricht", year=periods.current().year, figures=figures)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "Maastricht" in text
        assert "< 5" in text
        # The figures stand under the dashboard's section headings, in the same order.
        headings = [title for title, _shown in indicators.sections(figures)]
        assert len(headings) == 6
        positions = [text.index(title) for title in headings]
        assert positions == sorted(positions)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_download_for_the_officer_and_hold_hidden_cells(world, client, login, fmt):
    for _ in range(3):
        make_case(world, "received")
    login(world.officer)
    response = client.get(f"/monitoring/export/funnel.{fmt}?gemeente=GM0935&periode={periods.current().slug}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        body = response.content.decode("utf-8-sig")
        assert "< 5" in body and ";3" not in body


def test_all_tables_in_one_excel_file_and_the_report_download(world, client, login):
    login(world.officer)
    response = client.get("/monitoring/export/alles.xlsx?gemeente=GM0935")
    book = load_workbook(io.BytesIO(response.content))
    assert "funnel" in book.sheetnames and "gaps_by_domain" in book.sheetnames
    report = client.get(f"/monitoring/jaarrapport/?gemeente=GM0935&jaar={periods.current().year}")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"


def test_the_yearly_reports_cover_names_the_births_of_the_latest_year_known(world, client, login):
    """CBS publishes a year's births months later: a report for this year names the latest year it has."""
    from kansrijk.monitoring.models_births import LiveBirths

    year = periods.current().year
    LiveBirths.objects.create(municipality=world.maastricht, year=year - 3, count=816, source="CBS StatLine 37259")
    LiveBirths.objects.create(municipality=world.maastricht, year=year - 4, count=815, source="CBS StatLine 37259")
    login(world.officer)
    from unittest import mock

    from kansrijk.monitoring import report as reports

    with mock.patch.object(reports, "yearly_report_pdf", wraps=reports.yearly_report_pdf) as made:
        report = client.get(f"/monitoring/jaarrapport/?gemeente=GM0935&jaar={year}")
    assert (made.call_args.kwargs["births"].year, made.call_args.kwargs["births"].count) == (year - 3, 816)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=report.content, capture_output=True, check=True).stdout
        assert f"Levendgeborenen {year - 3}: 816 (bron: CBS StatLine 37259)" in text.decode().replace("\n", " ")


def test_the_report_of_another_municipality_or_a_future_year_is_refused(world, client, login):
    login(world.officer)
    assert client.get("/monitoring/jaarrapport/?gemeente=GM0917&jaar=2025").status_code == 404
    assert client.get(f"/monitoring/jaarrapport/?gemeente=GM0935&jaar={periods.current().year + 1}").status_code == 404
    assert client.get("/monitoring/export/nonsense.csv?gemeente=GM0935").status_code == 404


@pytest.mark.parametrize("chart", ["compare", "stacked", "trend"])
def test_legend_keys_stay_inside_the_chart(chart):
    """Long series names wrap to a new line of the legend instead of running off the chart's right edge (the
    side-by-side chart cut "Huisbezoek heeft plaatsgevonden" short)."""
    figure = Figure.counts(
        key="wide",
        title="t",
        definition="d",
        row_header="Municipality",
        rows=["Beek", "Heerlen"],
        columns=["Aangemeld", "Huisbezoek heeft plaatsgevonden", "Vervolgondersteuning gestart", "Nog een reeks"],
        counts=[[20, 12, 8, 6], [15, 11, 9, 7]],
        row_totals=False,
        chart=chart,
    )
    svg = str(charts.render(figure))
    for x, label in re.findall(r'<text x="([\d.]+)"[^>]*>([^<]+)</text>', svg):
        if label in figure.columns:
            assert float(x) + charts.LEGEND_CHAR * len(label) <= charts.WIDTH, label


def test_a_table_with_long_headings_is_shown_across_the_page():
    narrow = small_figure()
    wide = Figure.counts(
        key="w",
        title="t",
        definition="d",
        row_header="r",
        rows=["a"],
        columns=["Aangemelde vrouwen", "Levendgeborenen", "Bereik"],
        counts=[[1, 2, 3]],
    )
    assert not narrow.wide and wide.wide


@pytest.mark.parametrize("chart", ["bars", "funnel", "compare", "stacked"])
def test_long_row_labels_wrap_onto_a_second_line_instead_of_being_cut_short(chart):
    """The funnel cut "Toegewezen aan een jeugdverpleegkundige" to "Toegewezen aan een jeugd…"; a label now
    takes two lines, its row grows to hold them, and the rows below move down so that nothing overlaps."""
    rows = ["Aangemeld", "Toegewezen aan een jeugdverpleegkundige", "Huisbezoek heeft plaatsgevonden", "Eind"]
    columns = ["Vrouwen"] if chart in ("bars", "funnel") else ["A", "B"]
    figure = Figure.counts(
        key="wrap",
        title="t",
        definition="d",
        row_header="Stap",
        rows=rows,
        columns=columns,
        counts=[[40] * len(columns), [30] * len(columns), [20] * len(columns), [10] * len(columns)],
        totals=False,
        row_totals=False,
        chart=chart,
    )
    svg = str(charts.render(figure))
    assert "…" not in svg
    spans = re.findall(r'<tspan x="[\d.]+" y="([\d.]+)">([^<]+)</tspan>', svg)
    wrapped = ["Toegewezen aan een", "jeugdverpleegkundige", "Huisbezoek heeft", "plaatsgevonden"]
    assert [text for _y, text in spans] == wrapped
    right_aligned = r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end"[^>]*>([^<]+)<'
    one_line = {text: float(y) for y, text in re.findall(right_aligned, svg)}
    label_tops = [one_line["Aangemeld"], float(spans[0][0]), float(spans[2][0]), one_line["Eind"]]
    assert label_tops == sorted(label_tops)
    assert float(spans[2][0]) - float(spans[1][0]) >= 14  # the next row's label starts below the wrapped one
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))
    assert max(float(y) for y, _t in spans) < height and one_line["Eind"] < height
    bar_tops = [float(y) for y in re.findall(r'<rect x="205.0" y="([\d.]+)"', svg)]
    assert bar_tops == sorted(bar_tops) and len(set(bar_tops)) == len(bar_tops)


def test_a_label_too_long_for_two_lines_is_cut_on_the_second():
    assert charts._label_lines("Kort") == ["Kort"]
    two = ["Doorverwezen naar", "vervolgondersteuning"]
    assert charts._label_lines("Doorverwezen naar vervolgondersteuning") == two
    lines = charts._label_lines("een twee drie vier vijf zes zeven acht negen tien elf twaalf")
    assert len(lines) == 2 and all(len(line) <= charts.LABEL_CHARS for line in lines) and lines[1].endswith("…")


def test_each_of_the_seven_referral_sources_has_its_own_colour_and_pattern():
    """The side-by-side chart of sources has seven series; with five colours Zelfaanmelding looked like
    Verloskundige and Anders like Ziekenhuis."""
    assert len(set(charts.COLOURS)) == len(charts.COLOURS) >= 7
    # and each its own pattern, so that colour is never the only cue
    assert len(set(charts.DASHES)) == len(charts.DASHES) == len(charts.COLOURS)


def test_the_national_monitor_item_is_named_in_the_pages_language_and_in_the_excel_file(world, client, login):
    """The RIVM item was a Dutch text in the code, so English pages showed it in Dutch. It is translated now,
    and names indicator 4 of the national set (docs/monitoring.md)."""
    login(world.officer)
    dutch = client.get("/monitoring/definities/").content.decode()
    assert "indicator 4: gemeenten waar de JGZ het prenataal huisbezoek aanbiedt" in dutch
    client.cookies["django_language"] = "en"
    english = client.get("/monitoring/definities/").content.decode()
    assert "indicator 4: municipalities where the JGZ offers the prenatal home visit" in english
    assert "gemeenten waar de JGZ" not in english
    client.cookies["django_language"] = "nl"
    book = load_workbook(io.BytesIO(client.get("/monitoring/export/alles.xlsx?gemeente=GM0935").content))
    cells = [c for row in book["funnel"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(c.startswith("Landelijke monitor: RIVM Kansrijke Start, indicator 4") for c in cells), cells[:5]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_counts_are_written_as_the_language_writes_them(language):
    from django.utils import translation
    from django.utils.formats import number_format

    from kansrijk.monitoring.figures import format_count

    with translation.override(language):
        for n in [0, 7, 999, 1000, 12345, 1234567, -999, -1000]:
            assert format_count(n) == number_format(n, force_grouping=True), n
        assert format_count(12345) == {"nl": "12.345", "en": "12,345"}[language]


@pytest.mark.django_db
def test_the_reach_of_several_municipalities_is_charted_as_a_share_only(demo_region):
    """Women referred and live births are in the table; drawn on the same axis as a share of a few per cent, the
    share's bars would be slivers beside the births'. The chart draws the reach only."""
    from kansrijk.monitoring import indicators
    from kansrijk.monitoring.indicators import Scope

    figure = indicators.reach(Scope(demo_region, periods.current(periods.YEAR).previous()))
    svg = str(charts.render(figure))
    texts = re.findall(r">([^<>]+)</text>", svg)
    shares = [row[2].text for row in figure.cells]
    births = [row[1].text for row in figure.cells]
    assert all(share in texts for share in shares) and all("%" in share for share in shares)
    assert not any(text in texts for text in births)
    assert "Live births" not in texts and "Levendgeborenen" not in texts  # no legend key for what is not drawn
    assert len(figure.columns) == 3  # the table keeps all three columns


def test_a_stacked_bar_draws_its_hidden_segments_together_as_long_as_the_total_gives_them_away():
    """Social situation: 3 started ("< 5"), 25 on a waiting list and 4 declined, 32 in all. The table shows 32, so
    the hidden together are 32 minus what is shown: the bar is as long as its total, not a stub beside 25."""
    figure = Figure.counts(
        key="s",
        title="s",
        definition="d",
        row_header="Domain",
        rows=["Social situation", "Housing"],
        columns=["Started", "Waiting", "Declined"],
        counts=[[3, 25, 4], [30, 20, 12]],
        chart="stacked",
    )
    assert [[v.hidden for v in row] for row in figure.cells] == [[True, False, True], [True, False, True]]
    assert not any(total.hidden for total in figure.row_totals)
    # What each row hides together: its total minus what it shows (32 - 25, and 62 - 20).
    together = [total.number - row[1].number for total, row in zip(figure.row_totals, figure.cells, strict=True)]
    span = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH - 10
    top = figure.row_totals[1].number  # the longest bar: housing, 62

    def outlines():
        svg = str(charts.render(figure))
        return [float(w) for w in re.findall(rf'width="([\d.]+)" height="[\d.]+" fill="{charts.HIDDEN_FILL}"', svg)]

    assert outlines() == [pytest.approx(max(14, span * n / top), abs=0.1) for n in together]
    assert all(width > 14 for width in outlines())
    # A hidden total gives nothing away: then a stub.
    figure.row_totals[0] = figure.row_totals[0].__class__("x", None, True)
    assert outlines()[0] == 14.0


def test_a_figure_section_has_its_heading_table_and_downloads_with_every_text_escaped():
    from django.template import Context, Template
    from django.utils import translation

    figure = small_figure()
    figure.notes.append("Note <b>one</b>")
    figure.unit = "days & more"

    def render(tag, **context):
        with translation.override("en"):
            return Template("{% load monitoring_figures %}" + tag).render(Context(context))

    html = render("{% figure_section figure export_query=query %}", figure=figure, query="gemeente=GM0935&periode=2025")
    assert '<section class="figure" id="by_source" aria-labelledby="by_source-title">' in html
    assert (
        '<h3 id="by_source-title">Referrals &lt;by&gt; source <span class="muted">(days &amp; more)</span></h3>' in html
    )
    assert 'aria-label="Table: Referrals &lt;by&gt; source"' in html
    assert "<table" in html and "<svg" in html and '<p class="muted">Note &lt;b&gt;one&lt;/b&gt;</p>' in html
    assert 'href="/monitoring/export/by_source.csv?gemeente=GM0935&amp;periode=2025">CSV</a>' in html
    assert 'href="/monitoring/export/by_source.xlsx?gemeente=GM0935&amp;periode=2025">Excel</a>' in html
    # A page that answers ?export= itself (evaluation, planning): one CSV link, for the year shown.
    html = render("{% figure_section figure csv_link=True %}", figure=figure, year=2025)
    assert 'href="?jaar=2025&amp;export=by_source">CSV</a>' in html and "xlsx" not in html
    assert 'href="?export=by_source"' in render("{% figure_section figure csv_link=True %}", figure=figure)
    assert "figure-export" not in render("{% figure_section figure %}", figure=figure)
