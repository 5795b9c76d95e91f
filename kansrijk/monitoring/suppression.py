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
- **Ranges:** a "< 5" is between 1 and 4, so two of them that add up to 2 are both 1. While a "< 5" has one
  possible value given everything shown, one more count is hidden: found exactly on each table as a flow
  network (`_given_away`, `_cheapest_cycle`).
- **Why not the total:** the same total stands in other figures of the page. The referrals of a period
  are the total of "by source", "by organisation" and "weeks of pregnancy"; the women referred are the
  funnel's first step and the total of "accepted" and "outcomes". Hiding one list's total while another
  shows it gives the small count away (47 − 15 − 23 − 6 = 3). So a list keeps its total and hides a
  second count instead; what stays hidden is then the sum of two counts, which no other figure shows.
- **Several municipalities and their sum** (`sum_of_parts`, `protect_side_by_side`): each municipality's
  figures are protected on their own; the figures of several together hide every count that any of them
  hides, so that no count is the sum minus the others.
- **Counts two figures share**: a count another figure shows is `published` (not chosen to protect another);
  lists of the same records counted two ways are protected together (`protect_linked`).
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from operator import index  # counts are whole numbers: a float or Decimal is refused, not kept as another count

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

SUM_NOTE = _(
    "For several municipalities together, a number that one of them hides is hidden in their sum as well (x): "
    "otherwise it could be worked out as the sum minus the others. The figures per municipality show more."
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


def _hide_second(members: list[tuple[str, int, int]], values, hidden: set, published=frozenset()) -> bool:
    """Members of one sum as (kind, row, col) keys, the total last; hide one more when exactly one is hidden.

    `published`: members another figure of the page shows as well; hiding them here would protect nothing, so
    they are chosen only when nothing else is left."""
    hidden_here = [m for m in members if m in hidden]
    if len(hidden_here) != 1:
        return False
    visible = [m for m in members if m not in hidden]
    if not visible:
        return False
    visible = [m for m in visible if m not in published] or visible
    # The smallest shown count among the cells, else the total (the last member); a 0 only when nothing else is
    # left (a hidden 0 protects nothing: `_known`).
    cells = [m for m in visible if m[0] == "cell" or m is not members[-1]]
    nonzero = [m for m in cells if values[m] > 0]
    pool = nonzero or [m for m in visible if values[m] > 0] or cells or visible
    choice = min(pool, key=lambda m: (values[m], m))
    hidden.add(choice)
    return True


def _protect(
    values: dict,
    sums: list,
    *,
    networks: list,
    force_hidden: Iterable[tuple] = (),
    published: Iterable[tuple] = (),
    unseen: dict | None = None,
):
    """Primary and secondary suppression over `values` ({key: count}) and `sums`: lists of keys, the total last,
    or (left, right) pairs of key lists that add up to the same number (`protect_linked`).

    Hides until no sum has exactly one hidden member, and no "< 5" can be worked out from the sums of its table
    together, found exactly on the table as a flow (`networks`, `_given_away`: two hidden small counts that add
    up to 2 are both 1). `unseen`: {key: count} of a network's edges that no figure shows (which source referred
    from which organisation). Returns the `Cell` of a key."""
    members_of = [[*s[0], *s[1]] if isinstance(s, tuple) else s for s in sums]
    small = threshold()
    primary = {key for key, n in values.items() if 0 < n < small}
    hidden = primary | {key for key in force_hidden if key in values}
    published = frozenset(published)
    in_sums = {k for members in members_of for k in members}
    flows = {**(unseen or {}), **values}

    # A "< 5" that hiding more would not protect (a small total with four "< 5" under it: all are 1) is left as
    # it is, rather than hiding every count around it for nothing.
    beyond_help: set = set()
    while True:
        changed = True
        while changed:
            changed = False
            for members in members_of:
                changed |= _hide_second(members, values, hidden, published)
        if not primary:
            break
        worked_out = sorted(
            {key for network in networks for key in _given_away(flows, network, in_sums, hidden, primary, small)}
            - beyond_help
        )
        if not worked_out:
            break
        key = worked_out[0]
        # The fewest (and smallest) shown counts whose hiding lets a cycle of changes run through it.
        around = [network for network in networks if key in network]
        cycle = next(
            (c for n in around if (c := _cheapest_cycle(key, flows, n, in_sums, hidden, primary, small, published))),
            None,
        )
        if not cycle:  # None: no cycle at all; empty: cannot happen (it would not have been given away)
            # Not even for a reader who knows which "x" is 0 and which 5 or more (a list of 5, "< 5", "< 5" whose
            # total 7 other figures show: with the 5 hidden the two are still 1 to her). Protect them from one
            # who does not know (an "x" anything from 0), and leave it there.
            beyond_help.add(key)
            cycle = next(
                (
                    c
                    for n in around
                    if (c := _cheapest_cycle(key, flows, n, in_sums, hidden, primary, small, published, strict=False))
                ),
                None,
            )
        hidden |= cycle or set()

    def cell(key) -> Cell:
        return Cell(values[key], key in hidden, key in hidden and key not in primary)

    return cell


def _known(value: int, is_primary: bool, small: int, strict: bool = True) -> tuple:
    """What a reader knows of a hidden count: a "< 5" is 1 to 4; an "x" is never 1 to 4 (those read "< 5"), so it is
    0 or at least 5. Both cannot be one lower and upper bound, so the one the count is in is taken (`strict`): that
    assumes a reader knows more than she does, and hides more rather than less. Not `strict`: an "x" is anything
    from 0, as statistics offices take it."""
    if is_primary:
        return (1, small - 1)
    if not strict:
        return (0, float("inf"))
    return (small, float("inf")) if value >= small else (0, 0)


def _given_away(values: dict, network: dict, in_sums: set, hidden: set, primary: set, small: int) -> list:
    """The hidden small counts of a table that have one possible value, found exactly.

    A table with its totals is a flow (`network`: each key an edge, tail → head): each row's total flows into the
    row and out through its cells to their columns, each column's cells flow out through the column's total,
    and the grand total closes the circle. A reader knows each edge's bounds: a shown count (of a sum that is
    shown) exactly, a hidden one as `_known`, a total that is not shown anything from 0. Another table
    that fits everything shown differs from the real one by cycles of such changes; so a hidden small count can
    take another value exactly when a cycle through it can move by one without leaving any bounds."""
    inf = float("inf")

    def bounds(key):
        if key in hidden:
            return _known(values[key], key in primary, small)
        return (values[key], values[key]) if key in in_sums else (0, inf)

    edges = {key: (*network[key], values[key], *bounds(key)) for key in network}
    # Where one can go from each node: along an edge that can grow, or against one that can shrink.
    steps: dict = defaultdict(list)
    for key, (tail, head, flow, low, high) in edges.items():
        if flow < high:
            steps[tail].append((head, key))
        if flow > low:
            steps[head].append((tail, key))

    def reaches(start, goal, skip) -> bool:
        """A path from `start` to `goal` along such steps, without the edge `skip`."""
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            for nxt, key in steps[node]:
                if key != skip and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    out = []
    for key in sorted(primary & hidden):
        if key not in edges:
            continue
        tail, head, flow, low, high = edges[key]
        # One way is enough: the second search only when the first finds no cycle.
        if not ((flow < high and reaches(head, tail, key)) or (flow > low and reaches(tail, head, key))):
            out.append(key)
    return out


def _cheapest_cycle(
    target,
    values: dict,
    network: dict,
    in_sums: set,
    hidden: set,
    primary: set,
    small: int,
    published: frozenset,
    strict: bool = True,
) -> set | None:
    """The shown counts to hide so that the hidden small count `target` can change by one along a cycle (see
    _given_away): a cheapest path closing the cycle, where a hidden count (or a total not shown) that can move
    costs nothing and a shown count costs 1, a little more for a total, and a little more the larger it is. A
    count another figure shows (`published`) is never hidden for it: that would protect nothing. None when no
    cycle exists even with every other shown count hidden."""
    inf = float("inf")
    steps: dict = defaultdict(list)
    for key, (tail, head) in network.items():
        if key == target:
            continue
        flow = values[key]
        if key in hidden or key not in in_sums:
            low, high = _known(flow, key in primary, small, strict) if key in hidden else (0, inf)
            cost = 0.0
        elif key in published or flow == 0:
            # Shown elsewhere; or a 0, which stays 0 to a reader who knows the rule (an "x" in a row of "< 5" is 0):
            # hiding either protects nothing.
            continue
        else:  # shown: once hidden it is an "x"
            low, high = _known(flow, False, small, strict)
            cost = 1 + 0.5 * (key[0] != "cell") + values[key] / 1e6
        if flow < high:
            steps[tail].append((head, key, cost))
        if flow > low:
            steps[head].append((tail, key, cost))
    tail, head = network[target]
    flow = values[target]
    starts = []
    if flow < small - 1:
        starts.append((head, tail))  # it grows by one: back from its head to its tail
    if flow > 1:
        starts.append((tail, head))  # it shrinks by one
    best = None
    for start, goal in starts:
        done: dict = {}
        queue = [(0.0, 0, start, ())]
        tie = 0
        while queue:
            cost, _tie, node, used = heapq.heappop(queue)
            if node in done:
                continue
            done[node] = used
            if node == goal:
                if best is None or cost < best[0]:
                    best = (cost, used)
                break
            for nxt, key, step_cost in steps[node]:
                if nxt not in done:
                    tie += 1
                    heapq.heappush(queue, (cost + step_cost, tie, nxt, used + ((key,) if step_cost else ())))
    return None if best is None else set(best[1])


def protect_alone(n: int) -> Cell:
    """A count that stands on its own, in no sum that is shown: hidden only when small."""
    return Cell(n, is_small(n))


def _table_flow(n_rows: int, n_cols: int, key) -> dict:
    """A table with its totals as a flow (see _given_away): grand total → row totals → cells → column totals →
    grand total. `key(kind, i, j)`: the table's key of the cell (i, j), the row total ("row", i, -1), the column
    total ("col", -1, j) or the grand total ("all", -1, -1)."""
    network = {key("all", -1, -1): ("end", "start")}
    for i in range(n_rows):
        network[key("row", i, -1)] = ("start", ("row", i))
        network.update({key("cell", i, j): (("row", i), ("col", j)) for j in range(n_cols)})
    network.update({key("col", -1, j): (("col", j), "end") for j in range(n_cols)})
    return network


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    row_sums: bool = True,
    column_sums: bool = True,
    force_hidden: Iterable[tuple] = (),
    published: Iterable[tuple] = (),
) -> ProtectedTable:
    """Hide small counts of a table and whatever would give them away; totals are computed here.

    `row_sums` / `column_sums`: whether the row totals / column totals are shown, so that those sums must
    not give a hidden count away. Without either (the cells overlap, e.g. a woman in several domains,
    or they are steps of one funnel) only the small counts themselves are hidden.
    `force_hidden`: keys — ("cell", i, j), ("row", i, -1), ("col", -1, j), ("all", -1, -1) — to hide as well:
    a sum of municipalities hides what any of them hides (`sum_of_parts`).
    `published`: keys of counts that another figure of the page shows too (the accepted women are the funnel's
    "home visit held"): not chosen to protect another.
    """
    protected = _protect_table(
        tuple(tuple(map(index, r)) for r in counts),
        row_sums,
        column_sums,
        frozenset(force_hidden),
        frozenset(published),
        threshold(),
    )
    return _copy(protected)


#: How many protected tables are kept (see `_protect_table`): a page of all municipalities of a region protects
#: about 250, and each is a few kB.
PROTECTED_KEPT = 4096


@lru_cache(maxsize=PROTECTED_KEPT)
def _protect_table(counts, row_sums, column_sums, force_hidden, published, small) -> "ProtectedTable":
    """protect_table's work, kept for the same inputs. It is a pure function of them (`small`, the threshold,
    is one), so a table protected once is the same every time its counts are the same: nothing is kept that
    could go stale. The same figures of the same municipality and period, asked again while their counts are
    unchanged, are not protected again; their queries run every time."""
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
    network = _table_flow(n_rows, n_cols, lambda kind, i, j: (kind, i, j))
    cell = _protect(values, sums, networks=[network], force_hidden=force_hidden, published=published)
    return ProtectedTable(
        cells=[[cell(("cell", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[cell(("row", i, -1)) for i in range(n_rows)],
        column_totals=[cell(("col", -1, j)) for j in range(n_cols)],
        total=cell(("all", -1, -1)),
    )


def forget_protected() -> None:
    """Empty the kept tables (`_protect_table`): `make bench` measures pages with every table protected anew."""
    _protect_table.cache_clear()
    _protect_linked.cache_clear()


def _copy(table: ProtectedTable) -> ProtectedTable:
    """A kept table for one caller: its own lists (the cells themselves are frozen)."""
    return ProtectedTable(
        cells=[list(row) for row in table.cells],
        row_totals=list(table.row_totals),
        column_totals=list(table.column_totals),
        total=table.total,
    )


def protect_list(counts: Sequence[int]) -> tuple[list[Cell], Cell]:
    """One column of counts and its total, protected as above (as `Figure.counts` protects a one-column list)."""
    table = protect_table([[n] for n in counts], row_sums=False)
    # The list's total is its column's total: the cell the protection may hide (the grand total of a one-column
    # table is in no sum, and is not what a figure shows).
    return [row[0] for row in table.cells], table.column_totals[0] if table.column_totals else table.total


def protect_labelled(labelled_counts: Sequence[tuple[str, int]]) -> tuple[list[tuple[str, Cell]], Cell]:
    """(label, count) rows and their total, protected as above."""
    cells, total = protect_list([n for _label, n in labelled_counts])
    return [(label, c) for (label, _n), c in zip(labelled_counts, cells, strict=True)], total


# --- several municipalities and their sum ----------------------------------------------------------------------

#: While a sum of municipalities is built: per figure key, the cells any of them hides, as label keys
#: (Figure.hidden_labels). Set by `sum_of_parts`, read by `Figure.counts` and `Figure.statistics`.
_PARTS_HIDE: ContextVar[dict | None] = ContextVar("kansrijk_parts_hide", default=None)


@contextmanager
def sum_of_parts(hidden_by_key: dict):
    """Build the figures of several municipalities together inside this block.

    Each municipality's own figures are protected on their own (they never depend on her neighbours). A reader
    who sees several municipalities also sees their sum; a count hidden in one municipality's figure would be
    the sum minus the others. So the sum hides every cell that any of its municipalities hides (and then, as
    always, whatever would give those away). `hidden_by_key`: {figure key: set of label keys}."""
    token = _PARTS_HIDE.set(hidden_by_key)
    try:
        yield
    finally:
        _PARTS_HIDE.reset(token)


def building_a_sum() -> bool:
    """Whether the figures being built are inside `sum_of_parts` (they then depend on the sum as well)."""
    return _PARTS_HIDE.get() is not None


def parts_hide(key: str) -> set:
    """The label keys the parts of the sum being built hide in figure `key` (empty outside `sum_of_parts`)."""
    hidden_by_key = _PARTS_HIDE.get()
    return set(hidden_by_key.get(key, ())) if hidden_by_key else set()


@dataclass
class SideBySide:
    """Municipalities side by side (a row each) with their sum as the column totals: see protect_side_by_side."""

    rows: list[list[Cell]]
    column_totals: list[Cell]


def protect_side_by_side(parts: Sequence[Sequence[int]], *, width: int) -> SideBySide:
    """A row per municipality of counts that stand on their own (steps of the funnel: only small counts are
    hidden, as on her own dashboard), and the column totals as the sum's funnel shows them: hidden wherever a
    municipality hides that count. So the table agrees with every municipality's figures and with the figure of
    their sum, and gives nothing away that those do not. `width`: the number of columns (also with no rows)."""
    sums = [sum(p[j] for p in parts) for j in range(width)]
    rows = [[protect_alone(n) for n in p] for p in parts]
    forced = {("cell", j, 0) for cells in rows for j, c in enumerate(cells) if c.hidden}
    summed = protect_table([[n] for n in sums], row_sums=False, column_sums=False, force_hidden=forced)
    return SideBySide(rows, [r[0] for r in summed.cells])


def protect_linked(
    tables: Sequence[Sequence[Sequence[int]]],
    links: Sequence[tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]]],
    *,
    width: int,
    row_sums: bool,
    force_hidden: Iterable[tuple] = (),
    pairs: dict | None = None,
    published: Iterable[tuple] = (),
) -> list[ProtectedTable]:
    """Tables of the same records counted by different row labels, with the same `width` columns — so the same
    column totals and grand total — protected together.

    `links`: (left, right) groups of rows, each row as (table index, row index), that add up to the same numbers
    in every column: "by source" is "by organisation" grouped by the kind of organisation, so the GP row equals
    the GP practices' rows together. Every table's sums and every link are sums that may not have exactly one
    hidden member. `row_sums`: whether the tables show row totals (not for one-column lists).
    `force_hidden`: keys ("cell", table, row, column), ("row", table, row), ("col", column) or ("all",) to hide
    as well (`sum_of_parts`).
    `pairs`: for two one-column lists, {(left row, right row): count} of the records counted in both rows (the
    referrals of a source from an organisation). The two lists are then the margins of that table, a flow,
    checked exactly (`_given_away`); without it, each table on its own.
    `published`: keys of counts another figure shows as well (the total of the referrals)."""
    protected = _protect_linked(
        tuple(tuple(tuple(map(index, row)) for row in table) for table in tables),
        tuple((tuple(map(tuple, left)), tuple(map(tuple, right))) for left, right in links),
        width,
        row_sums,
        frozenset(force_hidden),
        None if pairs is None else tuple(sorted((key, index(n)) for key, n in pairs.items())),
        frozenset(published),
        threshold(),
    )
    return [_copy(table) for table in protected]


@lru_cache(maxsize=PROTECTED_KEPT)
def _protect_linked(tables, links, width, row_sums, force_hidden, pairs, published, small) -> tuple:
    """protect_linked's work, kept for the same inputs as `_protect_table` is."""
    pairs = None if pairs is None else dict(pairs)
    values: dict[tuple, int] = {}
    for k, table in enumerate(tables):
        for i, row in enumerate(table):
            for j, n in enumerate(row):
                values[("cell", k, i, j)] = n
            values[("row", k, i)] = sum(row)
    first = tables[0] if tables else []
    for j in range(width):
        values[("col", j)] = sum(row[j] for row in first)
    values[("all",)] = sum(sum(row) for row in first)
    sums = []
    for k, table in enumerate(tables):
        rows = range(len(table))
        sums += [[("cell", k, i, j) for i in rows] + [("col", j)] for j in range(width)]
        if row_sums:
            sums += [[("cell", k, i, j) for j in range(width)] + [("row", k, i)] for i in rows]
            sums.append([("row", k, i) for i in rows] + [("all",)])
    if row_sums or width > 1:
        sums.append([("col", j) for j in range(width)] + [("all",)])
    for left, right in links:
        sums += [([("cell", k, i, j) for k, i in left], [("cell", k, i, j) for k, i in right]) for j in range(width)]
        if row_sums:
            sums.append(([("row", k, i) for k, i in left], [("row", k, i) for k, i in right]))
    unseen = None
    if pairs is not None and width == 1 and not row_sums and len(tables) == 2:
        # The flow: the total into each source, from each source to the organisations it referred from, from each
        # organisation out through the total again.
        network = {("col", 0): ("end", "start")}
        network.update({("cell", 0, i, 0): ("start", ("left", i)) for i in range(len(tables[0]))})
        network.update({("cell", 1, i, 0): (("right", i), "end") for i in range(len(tables[1]))})
        network.update({("pair", i, k): (("left", i), ("right", k)) for i, k in pairs})
        unseen = {("pair", i, k): n for (i, k), n in pairs.items()}
        networks = [network]
    else:
        # Each table alone, as protect_table sees it; the links between them only by their sums (above). Together
        # they are a table in three dimensions (domain × offer × status), which is not a flow.

        def key_of(k):
            """Table k's keys, as _table_flow names them."""
            kinds = {
                "cell": lambda i, j: ("cell", k, i, j),
                "row": lambda i, _j: ("row", k, i),
                "col": lambda _i, j: ("col", j),
                "all": lambda _i, _j: ("all",),
            }
            return lambda kind, i, j: kinds[kind](i, j)

        networks = [_table_flow(len(table), width, key_of(k)) for k, table in enumerate(tables)]
    cell = _protect(values, sums, networks=networks, force_hidden=force_hidden, published=published, unseen=unseen)
    return tuple(
        ProtectedTable(
            cells=[[cell(("cell", k, i, j)) for j in range(width)] for i in range(len(table))],
            row_totals=[cell(("row", k, i)) for i in range(len(table))],
            column_totals=[cell(("col", j)) for j in range(width)],
            total=cell(("all",)),
        )
        for k, table in enumerate(tables)
    )
