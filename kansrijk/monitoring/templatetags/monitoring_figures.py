import dataclasses
import operator
from functools import cache, lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kansrijk.monitoring import charts
from kansrijk.monitoring.kept import KeptStore, hashable
from kansrijk.monitoring.suppression import threshold

register = template.Library()

#: How many figure sections each process keeps, the least recently used going first (`figure_section`).
KEPT_SECTIONS = 512

_sections = KeptStore(KEPT_SECTIONS)  # a change of settings empties it: number formats and the threshold


def _escaped(value) -> str:
    """Django's `conditional_escape`, the same text, without its check for lazy strings on every call (as
    `charts.escape`): a dashboard's tables escape about a thousand cells."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return charts.escape(value)


@lru_cache(maxsize=256)
def _export_url(script_prefix: str, key: str, fmt: str) -> str:
    """The export address of one table, worked out once per figure and format (and the site's prefix, which
    `reverse` reads): a dashboard has forty of them."""
    return reverse("monitoring:export", args=(key, fmt))


@register.simple_tag
def figure_chart(figure):
    """The figure's SVG chart (empty when it has none)."""
    return charts.render(figure)


@register.simple_tag
def figure_table(figure):
    """The table behind the chart: caption, header row, a row per label, the totals row last.

    Built here rather than with template loops: a dashboard holds twenty tables, and looping over their cells
    in the template language cost about a third of the page's rendering (docs/benchmarks.md). Every text is
    escaped."""
    label, *columns = figure.header()
    head = f'<th scope="col">{_escaped(label)}</th>' + "".join(
        f'<th scope="col" class="num">{_escaped(h)}</th>' for h in columns
    )
    body = "".join(
        f'<tr><th scope="row">{_escaped(row[0])}</th>'
        + "".join(f'<td class="num">{_escaped(v)}</td>' for v in row[1:])
        + "</tr>"
        for row in figure.table_rows()
    )
    caption = format_html('<caption class="visually-hidden">{}</caption>', figure.title)
    return mark_safe(  # noqa: S308 — every text in it went through _escaped()
        f'<table class="data">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


@register.simple_tag(takes_context=True)
def figure_section(context, figure, export_query="", csv_link=False):
    """One figure: heading, definition, chart and the table behind it, and where to download the table.

    `export_query`: the query string of the figures' export views (CSV and Excel of this table); `csv_link`: the
    page itself answers ?export=<key> with the CSV of that table (for the year in the context's `year`).
    Written here rather than as an included template: a dashboard holds twenty of them (docs/benchmarks.md).

    Kept for the same figure (decision 35): the section is made of the figure's fields and the inputs in
    `_section_key` only, so a figure shown again with the same cells, texts and notes, in the same language and
    for the same links, is not drawn again."""
    year = context.get("year") if csv_link else None
    key = _section_key(figure, export_query, csv_link, year)
    html = _sections.get(key)
    if html is None:
        html = _section(figure, export_query, csv_link, year)
        _sections.put(key, html)
    return html


def _section_key(figure, export_query, csv_link, year) -> tuple | None:
    """Everything a section is made of: every field of the figure (its class too), the links' query and year, the
    language (the section's own words and the charts' number formats), the site's prefix (the export addresses)
    and the small-number threshold (the chart's description). None when a field cannot be a key: not kept."""
    return hashable(
        (
            type(figure),
            *map(_frozen, _fields_of(type(figure))(figure)),
            export_query,
            bool(csv_link),
            year,
            get_language(),
            get_script_prefix(),
            threshold(),
        )
    )


@cache
def _fields_of(figure_class):
    """Reads every field of a figure of this class, in order (a dataclass's fields do not change)."""
    names = [f.name for f in dataclasses.fields(figure_class)]
    getter = operator.attrgetter(*names)
    return getter if len(names) > 1 else lambda figure: (getter(figure),)


def _frozen(value):
    """A list as a tuple, and a list of lists (a figure's cells) as a tuple of tuples; anything else as it is. A
    list left inside makes the key unhashable: then the section is not kept."""
    if type(value) is list:
        if value and type(value[0]) is list:
            return tuple([_frozen(item) for item in value])
        return tuple(value)
    return value


def forget_sections() -> None:
    """Keep no section (`make bench` measures the pages with nothing kept as well: cold_ms)."""
    _sections.forget()


def _section(figure, export_query, csv_link, year):
    unit = format_html(' <span class="muted">({})</span>', figure.unit) if figure.unit else ""
    notes = format_html_join("", '<p class="muted">{}</p>', ((note,) for note in figure.notes))
    download = ""
    if csv_link:
        href = f"?jaar={year}&export={figure.key}" if year else f"?export={figure.key}"
        download = format_html('<p class="figure-export">{} <a href="{}">CSV</a></p>', _("Download this table:"), href)
    elif export_query:
        query = _escaped(export_query)
        csv = _escaped(_export_url(get_script_prefix(), figure.key, "csv"))
        xlsx = _escaped(_export_url(get_script_prefix(), figure.key, "xlsx"))
        download = mark_safe(  # noqa: S308 — every text in it went through _escaped()
            f'<p class="figure-export">{_escaped(_("Download this table:"))} <a href="{csv}?{query}">CSV</a> · '
            f'<a href="{xlsx}?{query}">Excel</a></p>'
        )
    # Not format_html: it escapes each of its values through Django's check for lazy strings; a dashboard has
    # twenty sections. The same HTML.
    key = _escaped(figure.key)
    wide = " figure--wide" if figure.wide else ""
    table_label = _escaped(_("Table: %(title)s") % {"title": figure.title})
    return mark_safe(  # noqa: S308 — every text in it went through _escaped()
        f'<section class="figure{wide}" id="{key}" aria-labelledby="{key}-title">\n'
        f'  <h3 id="{key}-title">{_escaped(figure.title)}{_escaped(unit)}</h3>\n'
        f'  <p class="figure-definition">{_escaped(figure.definition)}</p>\n'
        f"  {_escaped(figure_chart(figure))}\n"
        f'  <div class="table-wrap" tabindex="0" role="region" aria-label="{table_label}">\n'
        f"  {_escaped(figure_table(figure))}\n"
        "  </div>\n"
        f"  {_escaped(notes)}{_escaped(download)}\n"
        "</section>"
    )
