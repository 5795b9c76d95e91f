"""The one place for small numbers: primary and secondary suppression (issue 5, work in progress)."""

from kansrijk.monitoring.suppression import enough_for_statistic, protect_labelled, protect_list, protect_table


def shown(cells):
    return [c.shown for c in cells]


def test_small_counts_are_hidden_and_zero_is_shown():
    cells, total = protect_list([12, 3, 0, 9])
    assert shown(cells)[1] is None and str(cells[1]) == "< 5"
    assert shown(cells)[2] == 0
    # One hidden cell with the total shown could be recovered: in a list the total is hidden too.
    assert sum(c.hidden for c in cells) + total.hidden >= 2
    assert total.hidden and shown(cells)[3] == 9 and shown(cells)[0] == 12


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
    assert total.hidden and total.secondary and str(total) == "x"
