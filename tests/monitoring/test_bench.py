"""`make bench`'s own logic (scripts/bench.py): which pages it measures and how it finds a figures page's floor.
Nothing here times anything: the formulas and what the requests show are checked, not their speed."""

import importlib.util
from pathlib import Path

import pytest

from kansrijk.accounts.models import User

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


@pytest.fixture
def bench():
    spec = importlib.util.spec_from_file_location("kansrijk_bench_script", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pages_can_be_chosen_by_name_and_an_unknown_name_is_refused(bench):
    names = [page[0] for page in bench.pages()]
    assert len(names) == len(set(names))
    assert [page[0] for page in bench.chosen_pages("")] == names
    assert [page[0] for page in bench.chosen_pages("region_quarter,dashboard")] == ["dashboard", "region_quarter"]
    with pytest.raises(SystemExit, match="No page called regio; the pages are dashboard, "):
        bench.chosen_pages("regio,dashboard")


@pytest.mark.parametrize(
    ("email", "path", "figure"),
    [
        ("regio@demo.kansrijk.nl", "/monitoring/regio/", 'id="region_overview"'),
        ("gemeente@demo.kansrijk.nl", "/monitoring/", 'id="funnel"'),
    ],
)
def test_the_floor_is_the_page_with_no_figure_built_plus_the_sql_of_its_figures(
    bench, demo_region, client, monkeypatch, email, path, figure
):
    client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
    assert figure in client.get(path).content.decode()
    bare = []
    measure = bench.measure

    def recorded(*args, **kwargs):
        bare.append(measure(*args, **kwargs))
        return bare[-1]

    monkeypatch.setattr(bench, "measure", recorded)
    result = bench.floor(client, path, 1, {"sql_ms": 1000.0})

    # Measured on the page with no figure built: the page itself answers, without a figure section.
    (without,) = bare
    html = without["response"].content.decode()
    assert without["response"].status_code == 200
    assert '<section class="figure' not in html and figure not in html
    assert without["queries"] > 0
    # The request's own time, and the SQL it left out.
    assert result["floor_ms"] == pytest.approx(without["ms"] + 1000.0 - without["sql_ms"])
    assert result["floor_ratio"] == pytest.approx(result["floor_ms"] / 1000.0)
    # Nothing stays patched: the page builds its figures again.
    assert figure in client.get(path).content.decode()


def test_growth_is_from_the_smallest_size_and_from_the_next_one_up(bench):
    def measured(ms, queries=26):
        return {"ms": ms, "queries": queries}

    results = [
        ("dashboard", 10_000, measured(40.0), None),
        ("dashboard", 100_000, measured(80.0), None),
        ("dashboard", 340_000, measured(88.0, 27), None),
        ("my_cases", 10_000, measured(10.0, 10), 18),
        ("my_cases", 100_000, measured(11.0, 10), 18),
        ("my_cases", 340_000, measured(12.5, 10), 18),
    ]
    assert bench.growth_lines(results, [10_000, 100_000, 340_000]) == [
        "BENCH growth page=dashboard from=10000 to=340000 factor=2.20 queries_from=26 queries_to=27",
        "BENCH growth page=dashboard from=100000 to=340000 factor=1.10 queries_from=26 queries_to=27",
        "BENCH growth page=my_cases from=10000 to=340000 factor=1.25 queries_from=10 queries_to=10",
        "BENCH growth page=my_cases from=100000 to=340000 factor=1.14 queries_from=10 queries_to=10",
    ]
    two = [r for r in results if r[1] != 100_000]
    assert bench.growth_lines(two, [10_000, 340_000]) == [
        "BENCH growth page=dashboard from=10000 to=340000 factor=2.20 queries_from=26 queries_to=27",
        "BENCH growth page=my_cases from=10000 to=340000 factor=1.25 queries_from=10 queries_to=10",
    ]
    assert bench.growth_lines(results[:1], [10_000]) == []


def test_the_raw_sql_counts_the_summarys_months_from_the_cases(bench, demo_region):
    """raw_sql_ms replays the page's queries with the monthly summary's reads (the trend's and the reach's)
    replaced by counting the same months from the cases: two GROUP BY queries per span."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kansrijk.monitoring import indicators, periods
    from kansrijk.monitoring.indicators import Scope

    scope = Scope(demo_region, periods.current(periods.QUARTER).previous())
    with CaptureQueriesContext(connection) as captured:
        indicators.dashboard_figures(scope)
    queries = [q["sql"] for q in captured.captured_queries]

    raw = bench.raw_queries(queries, [scope])

    summary_reads = [sql for sql in queries if bench.SUMMARY_TABLE in sql]
    assert len(summary_reads) == 2  # the trend and the reach
    assert raw[: len(queries) - 2] == [sql for sql in queries if sql not in summary_reads]
    counted = raw[len(queries) - 2 :]
    assert len(counted) == 4  # the trend's months and the year's, each referred and first visits
    assert all('FROM "cases_case"' in sql and "GROUP BY" in sql for sql in counted)
    assert not any(bench.SUMMARY_TABLE in sql for sql in raw)
    assert bench.replay(raw) > 0
    # A page that reads no summary is its own raw SQL.
    no_summary = [sql for sql in queries if sql not in summary_reads]
    assert bench.raw_queries(no_summary, [scope]) is no_summary


def test_a_figures_page_reports_its_ratio_to_the_raw_sql_and_a_list_its_own(bench, demo_region, client):
    client.force_login(User.objects.get(email="gemeente@demo.kansrijk.nl"))
    page = bench.measure(client, "/monitoring/", 1)
    assert page["raw_sql_ms"] != page["sql_ms"]
    assert page["raw_ratio"] == pytest.approx(page["ms"] / page["raw_sql_ms"])
    listed = bench.measure(client, "/afspraken/", 1)
    assert listed["raw_sql_ms"] == listed["sql_ms"]
