"""A figure: one table of the dashboards, exports and yearly report, with its chart kind and definition.

Counts become shown values **only** through `Figure.counts(...)`, which passes them through
`suppression.protect_table`: the one door between raw counts and anything a person sees (page,
chart, CSV, XLSX, PDF). Statistics over people (median, percentile, share) go through
`Figure.statistics(...)` with the number of people they are computed over, so that a statistic
over fewer than the threshold is not shown either.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .suppression import SECONDARY_MARK, enough_for_statistic, parts_hide, protect_table, threshold

#: Chart kinds a figure may ask for (charts.render draws them):
#: "bars"    horizontal bars, one per row, of the first column (categories: sources, domains, reasons)
#: "compare" horizontal grouped bars, one group per row (municipality), one bar per column (series)
#: "trend"   a line per column over the rows (periods, oldest first)
#: "funnel"  horizontal bars of the first column, each with its share of the first row
#: "stacked" one horizontal bar per row, a segment per column, the row total at its end
#: None      table only
CHART_KINDS = ("bars", "compare", "trend", "funnel", "stacked", None)


class Value(NamedTuple):
    """One cell as it may be shown. `number` is None when the value is hidden or not available.

    A named tuple rather than a frozen dataclass: a page makes and compares hundreds of them a request (a figure's
    section is kept for an equal figure, decision 35), and a tuple is made, hashed and compared in C."""

    text: str
    number: float | None = None
    hidden: bool = False
    #: A count of people or events (not a median or share): a sum of municipalities hides it where one of
    #: them does (suppression.sum_of_parts).
    is_count: bool = False

    def __str__(self) -> str:
        return self.text


NOT_AVAILABLE = Value("–")


def count_value(cell) -> Value:
    if cell.hidden:
        return Value(str(cell), None, True, is_count=True)
    return Value(format_count(cell.value), float(cell.value), is_count=True)


def format_count(n: int) -> str:
    """A count as the active language writes it ("12.345" in Dutch, "12,345" in English). Below a thousand every
    language writes the digits alone: those (most counts) skip the locale lookup, which a page of several
    municipalities would otherwise do ten thousand times."""
    if -1000 < n < 1000:
        return str(n)
    return number_format(n, force_grouping=True)


def statistic(value: float | None, over: int, *, decimals: int = 0, suffix: str = "") -> Value:
    """A median, percentile or share computed over `over` people: shown only when enough."""
    if value is None:
        return NOT_AVAILABLE
    if not enough_for_statistic(over):
        # Not "< 5": next to a median in days that would read as "under 5 days".
        return Value(f"n < {threshold()}", None, True) if over else NOT_AVAILABLE
    return Value(f"{number_format(value, decimals, force_grouping=True)}{suffix}", float(value))


#: How a count hidden only because a municipality of the sum hides it reads (as a secondary hidden count).
HIDDEN_FOR_PARTS = Value(SECONDARY_MARK, None, True, is_count=True)


@dataclass
class Figure:
    key: str  # stable: anchors, export file names ("referrals_by_source")
    title: str
    definition: str  # what is counted, in one or two sentences (also in docs/monitoring.md)
    row_header: str
    rows: list[str]
    columns: list[str]
    cells: list[list[Value]]
    row_totals: list[Value] | None = None
    column_totals: list[Value] | None = None
    total: Value | None = None
    chart: str | None = "bars"
    #: The columns a chart of several series ("compare") draws, when not all: series in one unit only.
    chart_columns: tuple[int, ...] | None = None
    rivm: str = ""  # the item of the national Kansrijke Start monitor (RIVM) it corresponds to, if any
    unit: str = ""  # e.g. "days" for statistics tables, shown beside the title
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        # Labels may be lazy translations (model choices): made plain text here, in the active language.
        self.rows = [str(r) for r in self.rows]
        self.columns = [str(c) for c in self.columns]
        self.title, self.definition, self.row_header = str(self.title), str(self.definition), str(self.row_header)

    @classmethod
    def counts(
        cls,
        *,
        rows: Sequence[str],
        columns: Sequence[str],
        counts: Sequence[Sequence[int]],
        totals: bool = True,
        row_totals: bool = True,
        published: Sequence[tuple] = (),
        **kw,
    ) -> "Figure":
        """Counts → shown values, through suppression. `totals=False`: no totals at all (the rows overlap
        or are steps of one funnel); `row_totals=False`: column totals only (the columns overlap).
        `published`: index keys of counts another figure of the page shows too (suppression.protect_table)."""
        with_row_totals = totals and row_totals and len(columns) > 1
        forced = index_keys(parts_hide(kw.get("key", "")), [str(r) for r in rows], [str(c) for c in columns])
        if totals and len(columns) == 1:
            # A list keeps its total: the same total stands in other figures (the referrals of a period under "by
            # source" and "weeks of pregnancy"; the women referred in the funnel, "accepted" and "outcomes"), so
            # hiding it here would protect nothing (suppression.py).
            published = [*published, ("col", -1, 0)]
        table = protect_table(
            counts, row_sums=with_row_totals, column_sums=totals, force_hidden=forced, published=published
        )
        return cls.protected(table, rows=rows, columns=columns, row_totals=with_row_totals, totals=totals, **kw)

    @classmethod
    def protected(
        cls, table, *, rows: Sequence[str], columns: Sequence[str], row_totals: bool, totals: bool = True, **kw
    ) -> "Figure":
        """A figure of counts protected in suppression.py (a `ProtectedTable`), with its row totals and grand
        total shown when `row_totals`, its column totals when `totals`."""
        return cls(
            rows=list(rows),
            columns=list(columns),
            cells=[[count_value(c) for c in row] for row in table.cells],
            row_totals=[count_value(c) for c in table.row_totals] if row_totals else None,
            column_totals=[count_value(c) for c in table.column_totals] if totals else None,
            total=count_value(table.total) if row_totals else None,
            **kw,
        )

    @classmethod
    def statistics(cls, *, rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[Value]], **kw):
        """A table of values made with `statistic()` / `count_value()`; no totals. Inside `sum_of_parts`, a
        count that one of the municipalities hides is hidden here too (medians and shares do not add up)."""
        forced = parts_hide(kw.get("key", ""))
        labels = [str(r) for r in rows], [str(c) for c in columns]
        out = [
            [
                HIDDEN_FOR_PARTS if v.is_count and not v.hidden and ("cell", r, c) in forced else v
                for c, v in zip(labels[1], row, strict=True)
            ]
            for r, row in zip(labels[0], cells, strict=True)
        ]
        return cls(rows=list(rows), columns=list(columns), cells=out, **kw)

    def hidden_labels(self) -> set:
        """The hidden cells and totals as label keys — ("cell", row, column), ("row", row), ("col", column),
        ("all",) — so that a sum of municipalities can hide the same (suppression.sum_of_parts)."""
        out = set()
        for r, row in zip(self.rows, self.cells, strict=True):
            out |= {("cell", r, c) for c, v in zip(self.columns, row, strict=True) if v.hidden}
        for r, v in zip(self.rows, self.row_totals or [], strict=False):
            if v.hidden:
                out.add(("row", r))
        for c, v in zip(self.columns, self.column_totals or [], strict=False):
            if v.hidden:
                out.add(("col", c))
        if self.total is not None and self.total.hidden:
            out.add(("all",))
        return out

    @property
    def has_totals(self) -> bool:
        return self.column_totals is not None

    @property
    def total_label(self) -> str:
        return str(_("Total"))

    @property
    def wide(self) -> bool:
        """Shown across the page's width: a table with many columns, or with long column headings, does not fit
        half of it without scrolling."""
        return len(self.columns) > 3 or sum(len(c) for c in self.columns) > 36

    @property
    def is_empty(self) -> bool:
        return not self.rows or all(v.number in (None, 0) and not v.hidden for row in self.cells for v in row)

    def header(self) -> list[str]:
        head = [self.row_header, *self.columns]
        if self.row_totals is not None:
            head.append(self.total_label)
        return head

    def table_rows(self) -> list[list[str | Value]]:
        """The table as rows of [label, Value, ...], with the totals row last when there is one."""
        out = []
        for i, label in enumerate(self.rows):
            row: list = [label, *self.cells[i]]
            if self.row_totals is not None:
                row.append(self.row_totals[i])
            out.append(row)
        if self.column_totals is not None:
            row = [self.total_label, *self.column_totals]
            if self.row_totals is not None:
                row.append(self.total)
            out.append(row)
        return out


def index_keys(labels: set, rows: list[str], columns: list[str]) -> set:
    """Label keys (Figure.hidden_labels) as the index keys of suppression.protect_table for these rows and
    columns; a label this table does not have is left out."""
    row_at = {r: i for i, r in enumerate(rows)}
    col_at = {c: j for j, c in enumerate(columns)}
    out = set()
    for key in labels:
        if key[0] == "cell" and key[1] in row_at and key[2] in col_at:
            out.add(("cell", row_at[key[1]], col_at[key[2]]))
        elif key[0] == "row" and key[1] in row_at:
            out.add(("row", row_at[key[1]], -1))
        elif key[0] == "col" and key[1] in col_at:
            out.add(("col", -1, col_at[key[1]]))
        elif key[0] == "all":
            out.add(("all", -1, -1))
    return out
