"""The one place for small numbers: primary and secondary suppression (issue 5, work in progress)."""

from kansrijk.monitoring.suppression import enough_for_statistic, protect_labelled, protect_list, protect_table


def shown(cells):
    return [c.shown for c in cells]


def test_small_counts_are_hidden_and_zero_is_shown():
    cells, total = protect_list([12, 3, 0, 9])
    assert shown(cells)[1] is None and str(cells[1]) == "< 5"
    assert shown(cells)[2] == 0
    # One hidden cell with the total shown could be recovered: the smallest other count is hidden too, and the
    # total stays, because other figures show the same total.
    assert shown(cells) == [12, None, 0, None] and str(cells[3]) == "x"
    assert total.shown == 24


def test_a_table_never_has_a_sum_with_exactly_one_hidden_member():
    table = protect_table([[20, 2, 30], [15, 11, 40], [7, 9, 6]])
    rows = [[*r, t] for r, t in zip(table.cells, table.row_totals, strict=True)]
    cols = [[*(r[j] for r in table.cells), table.column_totals[j]] for j in range(3)]
    for members in [*rows, *cols, [*table.row_totals, table.total], [*table.column_totals, table.total]]:
        assert sum(c.hidden for c in members) != 1


def test_all_large_counts_are_all_shown():
    labelled, total = protect_labelled([("a", 10), ("b", 7)])
    assert [c.shown for _label, c in labelled] == [10, 7] and total.shown == 17


def test_statistics_need_enough_people():
    assert not enough_for_statistic(4) and enough_for_statistic(5)


def test_a_secondary_hidden_count_reads_x_not_small():
    cells, total = protect_list([12, 3, 9])
    assert str(cells[1]) == "< 5" and not cells[1].secondary
    assert cells[2].hidden and cells[2].secondary and str(cells[2]) == "x"
    assert not total.hidden


def test_a_list_hides_its_total_only_when_no_count_is_left_to_hide():
    cells, total = protect_list([3, 0])  # the total is 3 itself: small, so hidden as such
    assert total.hidden and not total.secondary
    cells, total = protect_list([3, 4])  # both small; the total (7) may show: it gives neither away
    assert [c.hidden for c in cells] == [True, True] and total.shown == 7


def test_a_list_never_has_exactly_one_hidden_count():
    for counts in ([12, 3, 9], [3, 40], [50, 2, 0, 0, 7], [1, 1, 30], [9, 9, 9, 2]):
        cells, total = protect_list(counts)
        assert sum(c.hidden for c in cells) != 1, counts
        assert not total.hidden, counts


def test_a_count_another_figure_shows_is_not_chosen_to_protect_a_small_one():
    # Accepted 6, declined 0, unreachable 2, other 0, waiting 30: the smallest other count is the 6, but the
    # funnel shows it ("home visit held"), so hiding it here would protect nothing: the 30 is hidden instead.
    table = protect_table([[6], [0], [2], [0], [30]], row_sums=False, published=[("cell", 0, 0)])
    assert [c.shown for row in table.cells for c in row] == [6, 0, None, 0, None]
    assert table.column_totals[0].shown == 38
    # Without the other figure, the 6 would be the one.
    plain = protect_table([[6], [0], [2], [0], [30]], row_sums=False)
    assert [c.shown for row in plain.cells for c in row] == [None, 0, None, 0, 30]


def test_published_totals_of_a_table_stay_and_no_sum_has_one_hidden_member():
    counts = [[20, 3, 30], [15, 11, 40], [7, 9, 6]]
    published = [("col", -1, j) for j in range(3)] + [("all", -1, -1)]
    table = protect_table(counts, published=published)
    assert all(not c.hidden for c in table.column_totals) and not table.total.hidden
    rows = [[*r, t] for r, t in zip(table.cells, table.row_totals, strict=True)]
    cols = [[*(r[j] for r in table.cells), table.column_totals[j]] for j in range(3)]
    for members in [*rows, *cols, [*table.row_totals, table.total], [*table.column_totals, table.total]]:
        assert sum(c.hidden for c in members) != 1


def test_linked_lists_hide_so_that_neither_list_nor_any_link_has_one_hidden_member():
    from kansrijk.monitoring.suppression import protect_linked

    # By source: midwife 9, GP 6, self 2. By organisation: GP practice 6, midwives A 5 and B 4, none 2.
    # On its own, "by source" hides the GP's 6 ("x") to protect the 2 — and "by organisation" shows the GP
    # practice's 6, which is the same number.
    sources, orgs = [9, 6, 2], [6, 5, 4, 2]
    links = [([(0, 0)], [(1, 1), (1, 2)]), ([(0, 1)], [(1, 0)]), ([(0, 2)], [(1, 3)])]
    by_source, by_org = protect_linked([[[n] for n in sources], [[n] for n in orgs]], links, width=1, row_sums=False)
    source_cells, org_cells = [r[0] for r in by_source.cells], [r[0] for r in by_org.cells]
    assert by_source.column_totals[0].shown == by_org.column_totals[0].shown == 17
    hidden = {("cell", 0, i) for i, c in enumerate(source_cells) if c.hidden}
    hidden |= {("cell", 1, i) for i, c in enumerate(org_cells) if c.hidden}
    groups = [[("cell", 0, i) for i in range(3)], [("cell", 1, i) for i in range(4)]]
    groups += [[("cell", k, i) for k, i in [*left, *right]] for left, right in links]
    for members in groups:
        assert sum(m in hidden for m in members) != 1, members
    assert source_cells[1].hidden and org_cells[0].hidden  # the GP's 6 is hidden in both lists


def test_linked_tables_share_their_column_totals_and_keep_every_sum_safe():
    from kansrijk.monitoring.suppression import protect_linked

    # Follow-ups by domain (2 rows) and by offer (3 rows), two statuses; offers 0 and 1 are used for domain 0,
    # offer 2 for domain 1. Domain 1 has a small count; offer 2 (its only offer) the same numbers.
    by_domain = [[12, 9], [3, 8]]
    by_offer = [[7, 4], [5, 5], [3, 8]]
    links = [([(0, 0)], [(1, 0), (1, 1)]), ([(0, 1)], [(1, 2)])]
    domains, offers = protect_linked([by_domain, by_offer], links, width=2, row_sums=True)
    assert [c.shown for c in domains.column_totals] == [c.shown for c in offers.column_totals]
    assert domains.total.shown == offers.total.shown
    assert domains.cells[1][0].hidden and offers.cells[2][0].hidden  # the 3, in both tables
    for table in (domains, offers):
        for i, row in enumerate(table.cells):
            assert sum(c.hidden for c in [*row, table.row_totals[i]]) != 1
        for j in range(2):
            assert sum(c.hidden for c in [*(r[j] for r in table.cells), table.column_totals[j]]) != 1
    for j in range(2):
        assert sum(c.hidden for c in [domains.cells[0][j], offers.cells[0][j], offers.cells[1][j]]) != 1
        assert sum(c.hidden for c in [domains.cells[1][j], offers.cells[2][j]]) != 1


# --- no "< 5" can be worked out from all sums together ----------------------------------------------------------


def _other_value_possible(cells, row_totals, column_totals, total, *, rows_shown, columns_shown, target) -> bool:
    """Whether the hidden cell `target` (i, j) can take another value than its own while every shown number and
    every shown sum stay as they are. What a reader knows: a shown count exactly, a "< 5" between 1 and 4, an
    "x" 0 or 5 and more (1 to 4 read "< 5"; tried here within 6 of its own value). Found by search,
    independently of suppression.py."""
    n_rows, n_cols = len(cells), len(cells[0])
    true = cells[target[0]][target[1]].value

    def options(c):  # an "x" is tried near its own value: moving a few counts between cells is enough
        if not c.hidden:
            return [c.value]
        if not c.secondary:
            return range(1, 5)
        return range(max(5, c.value - 6), c.value + 7) if c.value else [0]

    def fits(c, value):  # a total: shown exactly; "< 5" 1 to 4; "x" 0 or 5 and more
        if not c.hidden:
            return value == c.value
        return 1 <= value <= 4 if not c.secondary else (value >= 5 if c.value else value == 0)

    grid = [[0] * n_cols for _ in range(n_rows)]

    def search(k) -> bool:
        if k == n_rows * n_cols:
            if columns_shown and not all(
                fits(column_totals[j], sum(grid[i][j] for i in range(n_rows))) for j in range(n_cols)
            ):
                return False
            # The grand total is shown beside the row totals (Figure.protected); a list shows its column's total.
            if rows_shown and not fits(total, sum(map(sum, grid))):
                return False
            return grid[target[0]][target[1]] != true
        i, j = divmod(k, n_cols)
        for value in options(cells[i][j]):
            if (i, j) == target and k == n_rows * n_cols - 1 and value == true:
                continue
            grid[i][j] = value
            if j == n_cols - 1 and rows_shown and not fits(row_totals[i], sum(grid[i])):
                continue
            if search(k + 1):
                return True
        grid[i][j] = 0
        return False

    return search(0)


def _assert_no_small_count_is_given_away(counts, *, row_sums=True):
    table = protect_table(counts, row_sums=row_sums)
    for i, row in enumerate(table.cells):
        for j, c in enumerate(row):
            if c.hidden and not c.secondary:
                assert _other_value_possible(
                    table.cells,
                    table.row_totals,
                    table.column_totals,
                    table.total,
                    rows_shown=row_sums and len(counts[0]) > 1,
                    columns_shown=True,
                    target=(i, j),
                ), (counts, [[str(c) for c in r] for r in table.cells], (i, j))


def test_two_small_counts_that_add_up_to_2_are_not_both_given_away_as_1():
    # 30, "< 5", "< 5" with the total 32 shown: the two hidden counts add up to 2, so both are 1. One more count is
    # hidden now; the total stays (other figures show it).
    cells, total = protect_list([1, 1, 30])
    assert [str(c) for c in cells] == ["< 5", "< 5", "x"] and total.shown == 32
    # Both 4: 10, "< 5", "< 5" with 18 shown gave 8, so both 4.
    cells, total = protect_list([10, 4, 4])
    assert cells[0].hidden and total.shown == 18
    for counts in ([1, 1, 30], [10, 4, 4], [5, 5, 1, 1], [3, 4], [30, 2, 2, 2, 2], [12, 3, 9], [0, 1, 1, 0, 6]):
        _assert_no_small_count_is_given_away([[n] for n in counts], row_sums=False)


def test_no_small_count_of_a_list_or_a_table_can_be_worked_out_from_all_its_sums_together():
    import random

    rng = random.Random(5)
    skewed = [0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 9, 12]
    for _ in range(400):
        _assert_no_small_count_is_given_away([[rng.choice(skewed)] for _ in range(rng.randint(2, 5))], row_sums=False)
    for _ in range(150):
        rows, columns = rng.choice([(2, 2), (2, 3), (3, 2), (3, 3)])
        counts = [[rng.choice(skewed) for _ in range(columns)] for _ in range(rows)]
        _assert_no_small_count_is_given_away(counts)  # the whole table, every sum at once
        _assert_no_sum_gives_a_small_count_away(counts)
    # Found by that search before the table was checked as a whole: no single sum gives the 1 at the top right
    # away, but all of them together do (the 4 under it must be 4, so the 1 is 1).
    _assert_no_small_count_is_given_away([[0, 2, 1], [9, 4, 4], [1, 12, 0]])


def _assert_no_sum_gives_a_small_count_away(counts):
    """A table with row and column totals: in every sum on its own (a row, a column, the totals), every "< 5" can
    take another value between 1 and 4 while the rest of the sum stays within what a reader knows of it. (Solving
    several sums together can still narrow a count further: docs/monitoring.md.)"""
    table = protect_table(counts)
    n_rows, n_cols = len(counts), len(counts[0])
    sums = [[*table.cells[i], table.row_totals[i]] for i in range(n_rows)]
    sums += [[*(table.cells[i][j] for i in range(n_rows)), table.column_totals[j]] for j in range(n_cols)]
    sums += [[*table.row_totals, table.total], [*table.column_totals, table.total]]
    for members in sums:
        *parts, total = members
        for k, target in enumerate(parts):
            if not target.hidden or target.secondary:
                continue
            others = [c for n, c in enumerate(parts) if n != k]
            possible = set()
            for value in range(1, 5):
                # What the others (and a hidden total) would have to add up to, within what a reader knows of them.
                low = sum(c.value if not c.hidden else 1 if not c.secondary else min(c.value, 5) for c in others)
                high = sum(c.value if not c.hidden else 4 if not c.secondary else 10**6 * bool(c.value) for c in others)
                if not total.hidden:
                    fits = low <= total.value - value <= high
                elif not total.secondary:  # a small total: between 1 and 4
                    fits = low + value <= 4 and high + value >= 1
                else:  # an "x" total: 5 or more (it holds this "< 5", so it is not 0)
                    fits = high + value >= 5
                if fits:
                    possible.add(value)
            assert len(possible) >= 2, (counts, [[str(c) for c in r] for r in table.cells], members)


def test_linked_lists_do_not_give_two_small_counts_away():
    from kansrijk.monitoring.suppression import protect_linked

    # By source: midwife 30, self-registration 1, other 1, total 32. By organisation: two midwives' practices 20
    # and 10, and no organisation 2 (the self-registration and the other together). The two 1s add up to 2, so
    # with the 30 shown both are 1: the source list hides its 30 as well.
    links = [([(0, 0)], [(1, 0), (1, 1)]), ([(0, 1), (0, 2)], [(1, 2)])]
    by_source, by_org = protect_linked([[[30], [1], [1]], [[20], [10], [2]]], links, width=1, row_sums=False)
    assert [str(r[0]) for r in by_source.cells] == ["x", "< 5", "< 5"]
    assert by_org.cells[2][0].hidden
    assert by_source.column_totals[0].shown == by_org.column_totals[0].shown == 32


def test_what_no_hiding_can_protect_is_left_alone_and_zeros_stay():
    from kansrijk.monitoring.suppression import protect_linked

    # Four "< 5" under a total that is "< 5" itself are all 1, whatever else is hidden: nothing more is hidden
    # for them (the zeros stay zeros, the counts elsewhere stay shown).
    cells, total = protect_list([1, 1, 1, 1, 0, 0])
    assert [str(c) for c in cells] == ["< 5", "< 5", "< 5", "< 5", "0", "0"] and str(total) == "< 5"
    by_domain = [[1, 9], [1, 8], [1, 7], [1, 6], [0, 0]]
    links = [([(0, i)], [(1, i)]) for i in range(5)]
    domains, offers = protect_linked([by_domain, by_domain], links, width=2, row_sums=True)
    for table in (domains, offers):
        assert [str(c) for c in table.cells[4]] == ["0", "0"] and str(table.row_totals[4]) == "0"


def test_two_lists_of_the_same_records_give_no_small_count_away_together():
    """ "By source" and "by organisation" are the two margins of one table (which source referred from which
    organisation). A search over every such table that fits what is shown, independently of the rule, finds at
    least two possible values for every "< 5" of either list."""
    import itertools
    import random

    from kansrijk.monitoring.suppression import protect_linked

    rng = random.Random(7)
    skewed = [0, 1, 1, 2, 3, 4, 4, 5, 6, 8]
    for _ in range(80):
        n_left, n_right = rng.randint(2, 3), rng.randint(2, 3)
        pairs = {(rng.randrange(n_left), k): rng.choice(skewed[1:]) for k in range(n_right)}
        if rng.random() < 0.3:  # an organisation that referred under two sources
            pairs[(rng.randrange(n_left), 0)] = rng.choice(skewed[1:])
        left = [sum(n for (i, _k), n in pairs.items() if i == r) for r in range(n_left)]
        right = [sum(n for (_i, k), n in pairs.items() if k == r) for r in range(n_right)]
        links = [([(0, i)], [(1, k) for (i2, k) in pairs if i2 == i]) for i in range(n_left) if left[i]]
        lists = protect_linked(
            [[[n] for n in left], [[n] for n in right]], links, width=1, row_sums=False, pairs=dict(pairs)
        )
        shown_left, shown_right = [r[0] for r in lists[0].cells], [r[0] for r in lists[1].cells]
        total = lists[0].column_totals[0]

        def fits(c, n):  # shown exactly; "< 5" 1 to 4; "x" 0 or 5 and more
            if not c.hidden:
                return n == c.value
            return 1 <= n <= 4 if not c.secondary else (n >= 5 if c.value else n == 0)

        possible: dict = {}
        keys = list(pairs)
        for guess in itertools.product(range(0, 10), repeat=len(keys)):
            guess_left = [sum(n for (i, _k), n in zip(keys, guess, strict=True) if i == r) for r in range(n_left)]
            guess_right = [sum(n for (_i, k), n in zip(keys, guess, strict=True) if k == r) for r in range(n_right)]
            if not fits(total, sum(guess)):
                continue
            if all(map(fits, shown_left, guess_left)) and all(map(fits, shown_right, guess_right)):
                for name, cells, values in (("left", shown_left, guess_left), ("right", shown_right, guess_right)):
                    for r, (c, n) in enumerate(zip(cells, values, strict=True)):
                        if c.hidden and not c.secondary:
                            possible.setdefault((name, r), set()).add(n)
        for where, values in possible.items():
            assert len(values) >= 2, (left, right, pairs, where, [str(c) for c in shown_left + shown_right])


def test_an_x_is_known_to_be_0_or_at_least_5():
    # 10, "< 5", x with the total 16: the "< 5" and the x add up to 6. An x is never 1 to 4 (those read "< 5"),
    # so the x is 5 and the "< 5" is 1. The 10 is hidden as well.
    cells, total = protect_list([10, 1, 5])
    assert [str(c) for c in cells] == ["x", "< 5", "x"] and total.shown == 16
    _assert_no_small_count_is_given_away([[10], [1], [5]], row_sums=False)


def test_a_zero_is_not_hidden_to_protect_a_count_when_a_total_can_be():
    # A sum of municipalities hides the 7 because one of them hides it (force_hidden); the others are 0. Hiding a
    # 0 would protect nothing (an "x" is 0 or at least 5, and a reader who knows which has 7 back): the total is
    # hidden instead.
    table = protect_table([[7], [0], [0]], row_sums=False, force_hidden=[("cell", 0, 0)])
    assert [str(r[0]) for r in table.cells] == ["x", "0", "0"]
    assert table.column_totals[0].hidden


def test_a_list_keeps_its_total_and_hides_what_it_can_instead():
    """A figure's list keeps its total, which other figures show too (Figure.counts publishes it). 5, "< 5", "< 5"
    with the total 7: with the 5 hidden, a reader who knows an "x" is 5 or more still finds both 1; hiding the total
    would not help (another figure shows 7). So the 5 is hidden, which protects them from a reader who does not
    know that, and nothing more is hidden for nothing."""
    from kansrijk.monitoring.figures import Figure

    def listed(counts):
        figure = Figure.counts(
            key="test",
            title="t",
            definition="d",
            row_header="r",
            rows=[str(n) for n in range(len(counts))],
            columns=["n"],
            counts=[[n] for n in counts],
        )
        return [row[0].text for row in figure.cells], figure.column_totals[0].text

    assert listed([5, 1, 1, 0]) == (["x", "< 5", "< 5", "0"], "7")
    # 10, "< 5", 5 with 16: hiding the 10 protects even from a reader who knows an "x" is 5 or more.
    assert listed([10, 1, 5]) == (["x", "< 5", "x"], "16")


def test_linked_tables_are_each_checked_as_a_whole():
    from kansrijk.monitoring.suppression import protect_linked

    # Follow-ups by domain (and the same by offer): the first column is 1, 1, 30 with its total 32 shown. The two
    # 1s add up to 2, so both are 1; the rule hides more in each table.
    by_domain = [[1, 9], [1, 8], [30, 7]]
    links = [([(0, i)], [(1, i)]) for i in range(3)]
    for table in protect_linked([by_domain, by_domain], links, width=2, row_sums=True):
        for i in range(3):
            for j in range(2):
                if table.cells[i][j].hidden and not table.cells[i][j].secondary:
                    assert _other_value_possible(
                        table.cells,
                        table.row_totals,
                        table.column_totals,
                        table.total,
                        rows_shown=True,
                        columns_shown=True,
                        target=(i, j),
                    ), [[str(c) for c in r] for r in table.cells]


def test_a_zero_is_not_hidden_even_for_a_reader_who_takes_an_x_as_anything():
    # Two "< 5" on the diagonal with the grand total 8 shown (published: another figure shows it) are both 4, and
    # nothing can change that. Hiding the zeros beside them would only help a reader who thinks an "x" could be
    # anything; one who knows the rule sees that an "x" in a row of "< 5" is 0. They stay 0.
    table = protect_table([[0, 4], [4, 0]], published=[("all", -1, -1)])
    assert [[str(c) for c in row] for row in table.cells] == [["0", "< 5"], ["< 5", "0"]]
    assert table.total.shown == 8


def test_a_table_protected_again_is_the_same_and_its_own():
    """Protected tables are kept for the same counts (`_protect_table`): the same cells every time, in lists of
    the caller's own, so that one caller changing hers changes no other's."""
    from kansrijk.monitoring.suppression import _protect_table, forget_protected

    forget_protected()
    counts = [[20, 2, 30], [15, 11, 40], [7, 9, 6]]
    first = protect_table(counts)
    second = protect_table([list(r) for r in counts])
    assert _protect_table.cache_info().hits == 1
    assert second == first and second.cells is not first.cells and second.cells[0] is not first.cells[0]
    second.cells[0][1] = None
    assert protect_table(counts).cells[0][1].hidden
    # Other counts, other options: protected for themselves.
    assert protect_table([[20, 3, 30], [15, 11, 40], [7, 9, 6]]).cells[0][1].value == 3
    assert not protect_table(counts, row_sums=False, column_sums=False).cells[0][0].hidden


def test_a_kept_table_follows_the_threshold(settings):
    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 5
    assert str(protect_list([12, 7, 9])[0][1]) == "7"
    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 10
    assert str(protect_list([12, 7, 9])[0][1]) == "< 10"


def test_a_count_that_is_not_a_whole_number_is_refused():
    import pytest

    with pytest.raises(TypeError):
        protect_table([[1.0, 2]])
    with pytest.raises(TypeError):
        protect_list([3.5])


def test_linked_tables_protected_again_are_the_same():
    from kansrijk.monitoring.suppression import protect_linked

    links = [([(0, 0)], [(1, 1), (1, 2)]), ([(0, 1)], [(1, 0)]), ([(0, 2)], [(1, 3)])]
    tables = [[[9], [6], [2]], [[6], [5], [4], [2]]]
    pairs = {(0, 1): 5, (0, 2): 4, (1, 0): 6, (2, 3): 2}
    from kansrijk.monitoring.suppression import _protect_linked, forget_protected

    forget_protected()
    first = protect_linked(tables, links, width=1, row_sums=False, pairs=pairs)
    again = protect_linked(tables, links, width=1, row_sums=False, pairs=dict(reversed(pairs.items())))
    assert _protect_linked.cache_info().hits == 1
    assert again == first and again[0].cells is not first[0].cells
