"""The yearly report of one municipality as a PDF for the council (WeasyPrint; nothing is fetched).

It is made from the same Figures as the dashboard, so it holds the same hidden cells."""

from django.template.loader import render_to_string
from django.utils import timezone

from .indicators import sections
from .suppression import HIDDEN_NOTE, threshold

#: (figure key, row index, column index) of the numbers on the first page.
SUMMARY = [("funnel", 0, 0), ("funnel", 3, 0), ("funnel", 5, 0), ("lead_times", 2, 0)]


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url[:60]}")


def summary(figures) -> list[tuple[str, str]]:
    by_key = {f.key: f for f in figures}
    out = []
    for key, row, column in SUMMARY:
        figure = by_key.get(key)
        if figure and row < len(figure.rows):
            label = figure.rows[row] if key != "lead_times" else f"{figure.rows[row]} ({figure.columns[column]})"
            out.append((label, figure.cells[row][column].text))
    reach = by_key.get("reach")
    if reach and reach.rows:
        out.append((reach.columns[2], reach.cells[0][2].text))
    return out


def yearly_report_html(*, municipality_name, year, figures, births=None, made_on=None) -> str:
    return render_to_string(
        "monitoring/report.html",
        {
            "municipality_name": municipality_name,
            "year": year,
            "figures": figures,
            "sections": sections(figures),
            "births": births,
            "made_on": made_on or timezone.localdate(),
            "summary": summary(figures),
            "hidden_note": HIDDEN_NOTE % {"threshold": threshold()},
            "threshold": threshold(),
        },
    )


def yearly_report_pdf(*, municipality_name, year, figures, births=None, made_on=None, request=None) -> bytes:
    from weasyprint import CSS, HTML

    html = yearly_report_html(
        municipality_name=municipality_name, year=year, figures=figures, births=births, made_on=made_on
    )
    css = render_to_string("monitoring/report.css")
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=[CSS(string=css)])
