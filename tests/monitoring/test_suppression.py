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
