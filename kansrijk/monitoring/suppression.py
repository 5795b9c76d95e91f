"""Small numbers are never shown: the one place that decides which counts are hidden.

Every page, chart and export of figures takes its counts through `protect_table` (a table with
row and column totals) or `protect_list` (one column with a total) and shows the resulting `Cell`s.
A statistic computed over people (a median, a share) goes through `enough_for_statistic` first.

- **Primary suppression**: a count from 1 to `threshold - 1` (setting
  `KANSRIJK_SMALL_NUMBER_THRESHOLD`, default 5) is shown as "< 5". A zero is shown: it reveals no one.
- **Secondary suppression**: a table is a set of sums (each row's cells add up to the row total,
  each column's to the column total, the totals to the grand total). Where one member of such a sum
  is hidden and the others are shown, it could be recovered by subtraction; so a second member is
  hidden as well: the smallest count still shown (a non-zero one first), and a total only when no count
  is left. This is repeated until no sum has exactly one hidden member.
- **Why not the total:** the same total stands in other figures of the page. The referrals of a period
  are the total of "by source", "by organisation" and "weeks of pregnancy"; the women referred are the
  funnel's first step and the total of "accepted" and "outcomes". Hiding one list's total while another
  shows it gives the small count away (47 − 15 − 23 − 6 = 3). So a list keeps its total and hides a
  second count instead; what stays hidden is then the sum of two counts, which no other figure shows.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def threshold() -> int:
    return settings.KANSRIJK_SMALL_NUMBER_THRESHOLD


@dataclass(frozen=True)
class Cell:
    """One count as it may be shown. `value` is the true count: never render it when `hidden`.

    A small count reads "< 5"; a count hidden only so that a small one cannot be worked out by subtraction
    (secondary suppression, `secondary`) reads "x" — it is not small, and must not look small."""

    value: int
    hidden: bool = False
    secondary: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value

    def __str__(self) -> str:
        if not self.hidden:
            return str(self.value)
        return SECONDARY_MARK if self.secondary else f"< {threshold()}"


SECONDARY_MARK = "x"

HIDDEN_NOTE = _(
    "Numbers below %(threshold)s are shown as “< %(threshold)s”. An “x” is a number hidden as well, so that "
    "a “< %(threshold)s” cannot be worked out by subtraction. No one can be recognised."
)


def is_small(n: int) -> bool:
    return 0 < n < threshold()


def enough_for_statistic(n: int) -> bool:
    """Whether a median, percentile or share computed over `n` people may be shown."""
    return n >= threshold()


@dataclass
class ProtectedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def _hide_second(members: list[tuple[str, int, int]], values, hidden: set) -> bool:
    """Members of one sum as (kind, row, col) keys, the total last; hide one more when exactly one is hidden."""
    hidden_here = [m for m in members if m in hidden]
    if len(hidden_here) != 1:
        return False
    visible = [m for m in members if m not in hidden]
    if not visible:
        return False
    # The smallest shown count among the cells (non-zero first), else the total (the last member).
    cells = [m for m in visible if m[0] == "cell" or m is not members[-1]]
    nonzero = [m for m in cells if values[m] > 0]
    pool = nonzero or cells or visible
    choice = min(pool, key=lambda m: (values[m], m))
    hidden.add(choice)
    return True


def protect_table(
    counts: Sequence[Sequence[int]], *, row_sums: bool = True, column_sums: bool = True
) -> ProtectedTable:
    """Hide small counts of a table and whatever would give them away; totals are computed here.

    `row_sums` / `column_sums`: whether the row totals / column totals are shown, so that those sums must
    not give a hidden count away. Without either (the cells overlap, e.g. a woman in several domains,
    or they are steps of one funnel) only the small counts themselves are hidden.
    """
    rows = [list(r) for r in counts]
    n_rows = len(rows)
    n_cols = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([0] * (n_cols - len(r)))
    values: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        for j, n in enumerate(r):
            values[("cell", i, j)] = n
        values[("row", i, -1)] = sum(r)
    for j in range(n_cols):
        values[("col", -1, j)] = sum(r[j] for r in rows)
    values[("all", -1, -1)] = sum(sum(r) for r in rows)

    primary = {key for key, n in values.items() if is_small(n)}
    hidden = set(primary)
    sums = []
    if row_sums:
        sums += [[("cell", i, j) for j in range(n_cols)] + [("row", i, -1)] for i in range(n_rows)]
    if column_sums:
        sums += [[("cell", i, j) for i in range(n_rows)] + [("col", -1, j)] for j in range(n_cols)]
    if row_sums and column_sums:
        sums.append([("row", i, -1) for i in range(n_rows)] + [("all", -1, -1)])
        sums.append([("col", -1, j) for j in range(n_cols)] + [("all", -1, -1)])
    elif column_sums and n_cols > 1:
        sums.append([("col", -1, j) for j in range(n_cols)] + [("all", -1, -1)])
    changed = True
    while changed:
        changed = False
        for members in sums:
            changed |= _hide_second(members, values, hidden)

    def cell(key) -> Cell:
        return Cell(values[key], key in hidden, key in hidden and key not in primary)

    return ProtectedTable(
        cells=[[cell(("cell", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[cell(("row", i, -1)) for i in range(n_rows)],
        column_totals=[cell(("col", -1, j)) for j in range(n_cols)],
        total=cell(("all", -1, -1)),
    )


def protect_list(counts: Sequence[int]) -> tuple[list[Cell], Cell]:
    """One column of counts and its total, protected as above."""
    table = protect_table([[n] for n in counts])
    return [row[0] for row in table.cells], table.total


def protect_labelled(labelled_counts: Sequence[tuple[str, int]]) -> tuple[list[tuple[str, Cell]], Cell]:
    """(label, count) rows and their total, protected as above."""
    cells, total = protect_list([n for _label, n in labelled_counts])
    return [(label, c) for (label, _n), c in zip(labelled_counts, cells, strict=True)], total
