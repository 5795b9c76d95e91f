"""Server-rendered SVG charts of a Figure: no JavaScript, no build step, nothing from other sites.

A chart only ever sees `Value`s (figures.py): a hidden value has no number, so it is drawn as an outlined
stub labelled "< 5" (or "x": hidden so that a small one cannot be worked out), never at its size. Each
chart is `role="img"` with a title and a description that points to the table below it (the table is the
accessible alternative and always follows the chart).
Colours have at least 3:1 contrast against white; series also differ by pattern (dash, marker) and carry
direct labels, so colour is never the only cue.
"""

from html import escape as _html_escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .figures import Figure, Value
from .suppression import threshold

#: Series colours (≥ 6:1 on white): teal, orange-brown, purple, green, grey-blue, raspberry, olive, blue.
#: Eight, so that the seven sources of a referral each have their own; each has its own dash pattern too.
COLOURS = ["#005a70", "#a04a00", "#6b3fa0", "#1e6b34", "#4b5563", "#a3195b", "#6e5f00", "#2f55c8"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 2", "10 2", "3 1 1 1"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square", "diamond", "triangle"]
TEXT = "#1a1a1a"
MUTED = "#4b5563"
GRID = "#d5dae0"
HIDDEN_FILL = "#ffffff"
FONT = 'font-family="system-ui, sans-serif"'

WIDTH = 560
LABEL_WIDTH = 205
VALUE_WIDTH = 70
ROW = 26


def escape(text) -> str:
    """Django's `escape`, the same characters, without its check for lazy strings on every call: a dashboard's
    charts escape hundreds of labels."""
    return _html_escape(str(text))


def render(figure: Figure) -> SafeString:
    if figure.chart is None or not figure.rows or figure.is_empty:
        return mark_safe("")
    drawer = {"bars": _bars, "funnel": _funnel, "compare": _compare, "trend": _trend, "stacked": _stacked}.get(
        figure.chart
    )
    if drawer is None:
        return mark_safe("")
    height, body = drawer(figure)
    title_id, desc_id = f"{figure.key}-chart-title", f"{figure.key}-chart-desc"
    description = _(
        "Chart of the table below, which has the same numbers. Numbers below %(threshold)s are not drawn."
    ) % {"threshold": threshold()}
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="chart chart--{figure.chart}">'
        f'<title id="{title_id}">{escape(figure.title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
        f"{body}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 — every text in it went through escape()


def _text(x, y, content, *, anchor="start", size=13, fill=TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}" {FONT}>{escape(content)}</text>'
    )


def _clip(label: str, limit: int = 25) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


#: Characters of a row label per line (13 px in the 205 px before the bars), and the extra height of a row
#: whose label takes a second line.
LABEL_CHARS = 25
WRAP_EXTRA = 16


def _label_lines(label: str) -> list[str]:
    """A row label on one line, or word-wrapped on two; only what does not fit in two lines is cut short."""
    lines = [""]
    for word in str(label).split():
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= LABEL_CHARS or not lines[-1]:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [_clip(line, LABEL_CHARS) for line in lines]


def _row_label(middle: float, lines: list[str]) -> str:
    """A row label (its `_label_lines`) right-aligned before the bars, vertically centred on `middle`."""
    if len(lines) == 1:
        return _text(LABEL_WIDTH - 8, middle + 4.5, lines[0], anchor="end")
    x = LABEL_WIDTH - 8
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{middle + offset:.1f}">{escape(line)}</tspan>'
        for line, offset in zip(lines, (-3.5, 12.5), strict=True)
    )
    return f'<text text-anchor="end" font-size="13" fill="{TEXT}" font-weight="normal" {FONT}>{spans}</text>'


def _row_height(lines: list[str], height: float) -> float:
    return height + WRAP_EXTRA if len(lines) > 1 else height


def _max(values) -> float:
    numbers = [v.number for v in values if v.number is not None]
    return max(numbers) if numbers and max(numbers) > 0 else 1.0


def _nice(top: float) -> float:
    """A round axis maximum at or above `top` (1, 2, 2.5, 5 × a power of ten)."""
    magnitude = 10 ** max(0, len(str(int(top))) - 1)
    for factor in (1, 2, 2.5, 4, 5, 10):
        if factor * magnitude >= top:
            return factor * magnitude
    return top


def _outline(x, y, width, height) -> str:
    """An outlined box: values that exist but are not shown."""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{HIDDEN_FILL}" '
        f'stroke="{MUTED}" stroke-dasharray="3 2"/>'
    )


def _bar(x, y, width, height, value: Value, colour: str, dash: str = "") -> str:
    if value.hidden or value.number is None:
        return _outline(x, y, 14, height)  # a stub: the value exists but is not shown
    w = max(width, 1.5 if value.number > 0 else 0)
    stroke = f' stroke="{TEXT}" stroke-width="1" stroke-dasharray="{dash}"' if dash else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{height:.1f}" fill="{colour}"{stroke}/>'


def _bars(figure: Figure, *, funnel: bool = False) -> tuple[int, str]:
    values = [row[0] for row in figure.cells]
    top = _max(values)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
    parts = []
    first = values[0].number if values and values[0].number else None
    y = 8.0
    for i, (label, value) in enumerate(zip(figure.rows, values, strict=True)):
        lines = _label_lines(label)
        height = _row_height(lines, ROW)
        middle = y + height / 2 - 1
        parts.append(_row_label(middle, lines))
        width = 0 if value.number is None else span * value.number / top
        parts.append(_bar(LABEL_WIDTH, middle - (ROW - 8) / 2, width, ROW - 8, value, COLOURS[0]))
        text = value.text
        if funnel and i > 0 and first and value.number is not None:
            text += f" ({number_format(100 * value.number / first, 0)} %)"
        x = LABEL_WIDTH + (18 if value.number is None else width + 6)
        parts.append(_text(x, middle + 4.5, text, fill=MUTED if value.hidden else TEXT))
        y += height
    return int(y + 8), "".join(parts)


def _funnel(figure: Figure) -> tuple[int, str]:
    return _bars(figure, funnel=True)


#: Width of a legend character at 13 px, on the generous side so that a label never runs off the chart.
LEGEND_CHAR = 8


def _legend(columns, y: float, *, lines: bool = False) -> tuple[float, str]:
    """A key per series, left to right; a key that would not fit before the chart's edge starts a new line."""
    start = LABEL_WIDTH if not lines else 50
    parts, x = [], start
    for j, name in enumerate(columns):
        colour = COLOURS[j % len(COLOURS)]
        label = _clip(str(name), 32)
        if x > start and x + 28 + LEGEND_CHAR * len(label) > WIDTH:
            x, y = start, y + 18
        if lines:
            parts.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{colour}" stroke-width="2.5" '
                f'stroke-dasharray="{DASHES[j % len(DASHES)]}"/>'
            )
            parts.append(_marker(x + 11, y - 4, j))
        else:
            parts.append(_bar(x, y - 12, 14, 12, Value("", 1.0), colour, DASHES[j % len(DASHES)]))
        parts.append(_text(x + 28, y, label, size=13))
        x += 52 + LEGEND_CHAR * len(label)
    return y + 10, "".join(parts)


def _compare(figure: Figure) -> tuple[int, str]:
    drawn = figure.chart_columns or range(len(figure.columns))
    columns = [figure.columns[j] for j in drawn]
    cells = [[row[j] for j in drawn] for row in figure.cells]
    top = _max([v for row in cells for v in row])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
    legend_end, legend = _legend(columns, 18)
    bar_h = 13
    group = len(columns) * (bar_h + 3) + 10
    parts = [legend]
    y0 = legend_end + 6
    for label, row in zip(figure.rows, cells, strict=True):
        lines = _label_lines(label)
        height = max(group, 40) if len(lines) > 1 else group
        top_bar = y0 + (height - group) / 2
        parts.append(_row_label(y0 + height / 2 - 6, lines))
        for j, value in enumerate(row):
            y = top_bar + j * (bar_h + 3)
            width = 0 if value.number is None else span * value.number / top
            parts.append(_bar(LABEL_WIDTH, y, width, bar_h, value, COLOURS[j % len(COLOURS)], DASHES[j % len(DASHES)]))
            x = LABEL_WIDTH + (18 if value.number is None else width + 5)
            parts.append(_text(x, y + bar_h, value.text, size=12, fill=MUTED if value.hidden else TEXT))
        parts.append(
            f'<line x1="{LABEL_WIDTH}" y1="{y0 + height - 4:.1f}" x2="{WIDTH - 10}" y2="{y0 + height - 4:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        y0 += height
    return int(y0 + 4), "".join(parts)


def _marker(x: float, y: float, j: int) -> str:
    colour = COLOURS[j % len(COLOURS)]
    kind = MARKERS[j % len(MARKERS)]
    if kind == "square":
        return f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M {x} {y - 5} L {x + 5} {y} L {x} {y + 5} L {x - 5} {y} Z" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M {x} {y - 5} L {x + 5} {y + 4} L {x - 5} {y + 4} Z" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>'


def _trend(figure: Figure) -> tuple[int, str]:
    left, right, top_y = 50, WIDTH - 34, 20
    legend_end, legend = _legend(figure.columns, 16, lines=True)
    top_y = legend_end + 10
    bottom = top_y + 180
    top = _nice(_max([v for row in figure.cells for v in row]))
    n = len(figure.rows)
    step = (right - left) / max(n - 1, 1)

    def x_at(i: int) -> float:
        return left + i * step if n > 1 else (left + right) / 2

    def y_at(number: float) -> float:
        return bottom - (bottom - top_y) * number / top

    parts = [legend]
    for k in range(5):  # grid and axis labels
        number = top * k / 4
        y = y_at(number)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(
            _text(
                left - 6,
                y + 4,
                number_format(number, 0 if number == int(number) else 1),
                anchor="end",
                size=12,
                fill=MUTED,
            )
        )
    label_every = max(1, n // 8)
    for i, label in enumerate(figure.rows):
        if i % label_every == 0 or i == n - 1:
            parts.append(_text(x_at(i), bottom + 18, label, anchor="middle", size=12, fill=MUTED))
    for j in range(len(figure.columns)):
        colour, dash = COLOURS[j % len(COLOURS)], DASHES[j % len(DASHES)]
        segment: list[str] = []
        for i, row in enumerate(figure.cells):
            value = row[j]
            if value.number is None:  # a gap: a hidden value is not drawn as anything
                if len(segment) > 1:
                    parts.append(_polyline(segment, colour, dash))
                segment = []
                if value.hidden:
                    parts.append(_text(x_at(i), bottom - 6, value.text, anchor="middle", size=12, fill=MUTED))
                continue
            segment.append(f"{x_at(i):.1f},{y_at(value.number):.1f}")
            parts.append(_marker(round(x_at(i), 1), round(y_at(value.number), 1), j))
        if len(segment) > 1:
            parts.append(_polyline(segment, colour, dash))
    return int(bottom + 30), "".join(parts)


def _polyline(points: list[str], colour: str, dash: str) -> str:
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5" '
        f'stroke-dasharray="{dash}"/>'
    )


def _stacked(figure: Figure) -> tuple[int, str]:
    """One bar per row, a segment per column. Hidden segments become one outlined segment at the bar's end: as long
    as they are together when the row's total is shown (the table gives that sum away: the total minus the rest),
    else a stub."""
    totals = figure.row_totals or [Value("", None)] * len(figure.rows)
    shown_sums = [sum(v.number or 0 for v in row) for row in figure.cells]
    top = max(shown_sums + [t.number or 0 for t in totals] + [1])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
    legend_end, legend = _legend(figure.columns, 18)
    parts = [legend]
    y = legend_end + 6
    for i, (label, row) in enumerate(zip(figure.rows, figure.cells, strict=True)):
        lines = _label_lines(label)
        height = _row_height(lines, ROW)
        middle = y + height / 2 - 1
        bar_y = middle - (ROW - 8) / 2
        parts.append(_row_label(middle, lines))
        x = LABEL_WIDTH
        hidden = False
        for j, value in enumerate(row):
            if value.hidden or value.number is None:
                hidden = hidden or value.hidden
                continue
            width = span * value.number / top
            if width > 0:
                parts.append(_bar(x, bar_y, width, ROW - 8, value, COLOURS[j % len(COLOURS)], DASHES[j % len(DASHES)]))
            x += width
        total = totals[i]
        if hidden:
            together = total.number - shown_sums[i] if total.number is not None and not total.hidden else 0
            width = max(14, span * together / top)
            parts.append(_outline(x + 2, bar_y, width, ROW - 8))
            x += width + 2
        parts.append(_text(x + 6, middle + 4.5, total.text, fill=MUTED if total.hidden else TEXT))
        y += height
    return int(y + 6), "".join(parts)
