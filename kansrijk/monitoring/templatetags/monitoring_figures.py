from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from kansrijk.monitoring import charts

register = template.Library()


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
    head = f'<th scope="col">{conditional_escape(label)}</th>' + "".join(
        f'<th scope="col" class="num">{conditional_escape(h)}</th>' for h in columns
    )
    body = "".join(
        f'<tr><th scope="row">{conditional_escape(row[0])}</th>'
        + "".join(f'<td class="num">{conditional_escape(v)}</td>' for v in row[1:])
        + "</tr>"
        for row in figure.table_rows()
    )
    caption = format_html('<caption class="visually-hidden">{}</caption>', figure.title)
    return mark_safe(  # noqa: S308 — every text in it went through conditional_escape()
        f'<table class="data">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
