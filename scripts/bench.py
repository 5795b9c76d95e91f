#!/usr/bin/env python
"""`make bench`: the figures pages and the list pages against the SQL they need, at growing sizes.

Usage: scripts/bench.py [--sizes 10000,100000,340000] [--runs 7] [--pages region,region_quarter]

- Uses PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kansrijk_bench), one
  database per size (`kansrijk_bench_10000`, …; created when missing, kept for the next run; never the
  `test` database). Each is migrated and grown to its size (`generate_synthetic --min-years 5`, which adds only
  what is missing: a size too small for five years of the whole country is its first regions), then VACUUM
  ANALYZE. Then the pages are measured one by one, each at every size right after the other, so that a machine
  slowing down during the run does not look like growth. `--prepare` only builds the datasets.
- **ms**: median wall time of the whole request through Django's test client (view, queries, template).
- **sql_ms**: median time of running exactly the SQL that request ran, straight on the database cursor
  (captured once, replayed with its parameters) — the raw SQL the page needs.
- **ratio** = ms / sql_ms; **queries**: how many queries the request ran; **rows** (lists): its length.
- **cold_ms** (figures pages): the same page with nothing kept from before. Protected tables are kept for the
  same counts (`suppression._protect_table`), each municipality's hidden cells and the page's figures for the same
  rows (`kept_parts.py`, `kept_figures.py`), so `ms` is a page seen again while its data is unchanged, and
  `cold_ms` one whose every count changed since it was last shown.
- **raw_sql_ms** and **raw_ratio** (figures pages): the raw SQL aggregate of the same figures, without the monthly
  summary: the page's SQL with the summary's reads replaced by counting the same months from the cases
  (`raw_queries`), replayed the same way; raw_ratio = ms / raw_sql_ms. (`sql_ms` and `ratio` stay the stricter
  measure: against the SQL the page itself ran, summary included.)
- **floor_ms** (figures pages): what the page would take if building and showing its figures cost no Python at all:
  the same request with no figure built (`indicators.dashboard_figures` / `region_figures` give none), plus the
  SQL of the figures it leaves out (sql_ms less the SQL of that request). **floor_ratio** = floor_ms / sql_ms: the
  best ratio the page can reach while it runs through the middleware, session and login of every page.
- Ends with one `BENCH page=… cases=… ms=… sql_ms=… ratio=… queries=…` line per measurement and one
  `BENCH growth page=… from=… to=… factor=…` line per page (ms at the largest size ÷ ms at the smallest); with
  three sizes or more a second one from the next size up (`growth_lines`).
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kansrijk_bench"


def ensure_database(url: str) -> None:
    """Create the size's database when missing. One built by another version of the generator
    (`synthetic.VERSION`) or with other `MIN_YEARS`, both kept as the database's comment, is dropped and built
    again."""
    import psycopg
    from psycopg import sql

    from kansrijk.monitoring.synthetic import VERSION

    name = url.rsplit("/", 1)[1]
    if name == "test" or not name.startswith("kansrijk_bench"):
        raise SystemExit(f"Refusing to benchmark in the database {name!r}: its name must start with kansrijk_bench.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        built_by = f"{VERSION}, --min-years {MIN_YEARS}"
        if row and row[0] != built_by:
            print(f"== {name} was built by {row[0] or 'an older generator'}: building it again", flush=True)
            conn.execute(f'DROP DATABASE "{name}"')
            row = None
        if row is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(built_by)))


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.settings.test")
    # Measure pages as they are served: without DEBUG, which records every query on the connection and keeps
    # the templates' debug information. (The settings' default is DEBUG on, for `make run`.)
    os.environ.setdefault("DJANGO_DEBUG", "false")
    # WhiteNoise warns when the collected static files are missing; the pages measured here do not serve any.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    import django

    django.setup()


def use_database(url: str) -> None:
    """Point Django's connection at this size's database, created when missing and migrated."""
    from django.core.management import call_command

    ensure_database(url)
    switch_database(url)
    call_command("migrate", verbosity=0)


def switch_database(url: str) -> None:
    """Point Django's connection at another size's database (built and migrated already)."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = url.rsplit("/", 1)[1]


SUMMARY_TABLE = '"monitoring_monthlycases"'
#: Every size holds at least this many years of cases (`generate_synthetic --min-years`), so that everything the
#: measured pages show is whole at every size: the year views' five-year trend (the longest), this year and the
#: last quarter with the fifteen months of cases before them (whose events fall in them), the ended agreements
#: (two years old). A size too small for the whole country is its first regions (region 01, whose pages are
#: measured, among them).
MIN_YEARS = 5


def raw_queries(queries: list[str], scopes: list) -> list[str]:
    """The page's queries with the monthly summary's reads replaced by counting the same months from the cases
    (`monthly.live_counts`, two GROUP BY queries per span read): the raw SQL aggregate of the same figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kansrijk.monitoring import monthly

    if not any(SUMMARY_TABLE in sql for sql in queries):
        return queries
    spans = {(tuple(scope.ids), span) for scope in scopes for span in (scope.trend_span, scope.year_span)}
    with CaptureQueriesContext(connection) as captured:
        for ids, span in sorted(spans):
            monthly.live_counts(list(ids), span=span)
    return [sql for sql in queries if SUMMARY_TABLE not in sql] + [q["sql"] for q in captured.captured_queries]


def replay(queries: list[str]) -> float:
    """ms to run these queries straight on the database cursor."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client, path: str, runs: int, *, cold: bool = False) -> dict:
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kansrijk.monitoring import indicators

    response = client.get(path)  # warm-up
    assert response.status_code == 200, (path, response.status_code)
    scopes = []  # a figures page's scope: what its monthly summary reads are for (raw_queries)
    with contextlib.ExitStack() as stack:
        for name in ("dashboard_figures", "region_figures"):
            real = getattr(indicators, name)
            stack.enter_context(
                mock.patch.object(indicators, name, lambda scope, real=real: scopes.append(scope) or real(scope))
            )
        captured = stack.enter_context(CaptureQueriesContext(connection))
        response = client.get(path)
    queries = [q["sql"] for q in captured.captured_queries]
    raw = raw_queries(queries, scopes)
    page_times, sql_times, raw_times = [], [], []
    for _i in range(runs):
        started = time.perf_counter()
        client.get(path)
        page_times.append((time.perf_counter() - started) * 1000)
        sql_times.append(replay(queries))
        raw_times.append(replay(raw) if raw is not queries else sql_times[-1])
    ms, sql_ms, raw_ms = statistics.median(page_times), statistics.median(sql_times), statistics.median(raw_times)
    result = {
        "ms": ms,
        "sql_ms": sql_ms,
        "ratio": ms / sql_ms if sql_ms else 0.0,
        "raw_sql_ms": raw_ms,
        "raw_ratio": ms / raw_ms if raw_ms else 0.0,
        "queries": len(queries),
        "response": response,
    }
    if cold:
        # The same page with nothing kept from before (every count changed since it was last shown): the protected
        # tables are kept for the same counts (suppression._protect_table), the municipalities' hidden cells and
        # the page's figures for the same rows (kept_parts.py, kept_figures.py) and each figure's section for the
        # same figure (monitoring_figures), so `ms` is the page seen again while its data is unchanged.
        from kansrijk.monitoring import kept_figures, kept_parts
        from kansrijk.monitoring.suppression import forget_protected
        from kansrijk.monitoring.templatetags.monitoring_figures import forget_sections

        cold_times = []
        for _i in range(runs):
            forget_protected()
            kept_parts.forget()
            kept_figures.forget()
            forget_sections()
            started = time.perf_counter()
            client.get(path)
            cold_times.append((time.perf_counter() - started) * 1000)
        result["cold_ms"] = statistics.median(cold_times)
    return result


def floor(client, path: str, runs: int, measured: dict) -> dict:
    """`floor_ms` and `floor_ratio` of a figures page (see the module's docstring)."""
    from unittest import mock

    from kansrijk.monitoring import indicators, views_dashboard

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(indicators, "dashboard_figures", return_value=[]))
        stack.enter_context(mock.patch.object(indicators, "region_figures", return_value=[]))
        stack.enter_context(mock.patch.object(views_dashboard, "_key_numbers", return_value=[]))
        bare = measure(client, path, runs)
    floor_ms = bare["ms"] + max(0.0, measured["sql_ms"] - bare["sql_ms"])
    return {"floor_ms": floor_ms, "floor_ratio": floor_ms / measured["sql_ms"] if measured["sql_ms"] else 0.0}


def list_length(response) -> int:
    """Rows in the page's table bodies."""
    html = response.content.decode()
    return sum(body.split("</tbody>", 1)[0].count("<tr") for body in html.split("<tbody")[1:])


def pages():
    """(name, user e-mail, path, is a list) — the users and places of synthetic region 01. The figures are
    for this year so far and for the last complete quarter. Every size holds both whole, with the fifteen months of
    cases before them and the five-year trend (`MIN_YEARS`): region 01's figures are the same at every size, only
    the history and the other regions behind them grow."""
    from kansrijk.monitoring import periods
    from kansrijk.monitoring.synthetic import BENCH_DOMAIN

    year = periods.current(periods.YEAR).slug
    quarter = periods.current(periods.QUARTER).previous().slug

    officer, coordinator = f"gemeente.r1@{BENCH_DOMAIN}", f"regio.r1@{BENCH_DOMAIN}"
    planner, nurse = f"planner.r1@{BENCH_DOMAIN}", f"jvp1.r1@{BENCH_DOMAIN}"
    midwife, provider = f"vlk1.r1@{BENCH_DOMAIN}", f"aanbieder.r1@{BENCH_DOMAIN}"
    privacy = f"privacy.r1@{BENCH_DOMAIN}"
    return [
        ("dashboard", officer, f"/monitoring/?gemeente=GM5001&periode={year}", False),
        ("dashboard_quarter", officer, f"/monitoring/?gemeente=GM5001&periode={quarter}", False),
        ("dashboard_all", officer, f"/monitoring/?gemeente=alle&periode={year}", False),
        ("region", coordinator, f"/monitoring/regio/?periode={year}", False),
        ("region_quarter", coordinator, f"/monitoring/regio/?periode={quarter}", False),
        ("intake_queue", planner, "/trajecten/intake/", True),
        ("team_cases", planner, "/trajecten/team/", True),
        ("my_cases", nurse, "/trajecten/mijn/", True),
        ("my_day", nurse, "/vandaag/", True),
        ("team_day", planner, "/vandaag/team/", True),
        ("social_map", planner, "/sociale-kaart/", True),
        # Lists that hold everything of their owner, all years: they grow with the history.
        ("my_referrals", midwife, "/aanmeldingen/", True),
        ("provider_follow_ups", provider, "/vervolg/aanbieder/", True),
        ("audit_by_user", privacy, f"/audit/?user=jvp1.r1%40{BENCH_DOMAIN}", True),
        ("desk_questions", planner, "/vraagbaak/?status=answered", True),
        ("agreements", officer, "/afspraken/", True),
        ("agreements_ended", officer, "/afspraken/?status=ended", True),
    ]


def chosen_pages(names: str) -> list:
    """The pages named (comma-separated), in the bench's order; every page when none is named."""
    wanted = [name for name in names.split(",") if name]
    every = pages()
    known = [page[0] for page in every]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SystemExit(f"No page called {', '.join(unknown)}; the pages are {', '.join(known)}.")
    return [page for page in every if not wanted or page[0] in wanted]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "10000,100000,340000"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "7")))
    parser.add_argument("--prepare", action="store_true", help="Only build the datasets; measure nothing.")
    parser.add_argument("--pages", default=os.environ.get("PAGES", ""), help="Only these pages (comma-separated).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if url.rsplit("/", 1)[1] == "test":
        raise SystemExit("Refusing to benchmark in the database 'test'.")
    setup(f"{url}_{sizes[0]}")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kansrijk.accounts.models import User

    databases = {size: f"{url}_{size}" for size in sizes}
    for size in sizes:
        started = time.monotonic()
        use_database(databases[size])
        call_command("generate_synthetic", cases=size, min_years=MIN_YEARS, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"== {size:,} synthetic cases (ready in {time.monotonic() - started:.0f} s)", flush=True)
    if args.prepare:
        return 0
    # Page by page, each size right after the other: the growth factor compares measurements seconds apart,
    # not minutes, so a shared machine that slows down during the run does not show up as growth.
    results = []
    for name, email, path, is_list in chosen_pages(args.pages):
        for size in sizes:
            switch_database(databases[size])
            client = Client()
            client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
            result = measure(client, path, args.runs, cold=not is_list)
            rows = list_length(result.pop("response")) if is_list else None
            if not is_list:
                result.update(floor(client, path, args.runs, result))
            results.append((name, size, result, rows))
            extra = (
                f"  rows={rows}"
                if rows is not None
                else f"  cold {result['cold_ms']:7.1f} ms   floor {result['floor_ms']:7.1f} ms "
                f"({result['floor_ratio']:.2f})   raw sql {result['raw_sql_ms']:7.1f} ms ({result['raw_ratio']:.2f})"
            )
            print(
                f"   {name:<20} {size:>7} {result['ms']:8.1f} ms   sql {result['sql_ms']:7.1f} ms   "
                f"ratio {result['ratio']:5.2f}   queries {result['queries']:3d}{extra}",
                flush=True,
            )
    results.sort(key=lambda item: sizes.index(item[1]))
    print()
    for name, size, r, rows in results:
        line = (
            f"BENCH page={name} cases={size} ms={r['ms']:.1f} sql_ms={r['sql_ms']:.1f} "
            f"ratio={r['ratio']:.2f} queries={r['queries']}"
        )
        if rows is not None:
            print(f"{line} rows={rows}")
        else:
            print(
                f"{line} cold_ms={r['cold_ms']:.1f} floor_ms={r['floor_ms']:.1f} floor_ratio={r['floor_ratio']:.2f} "
                f"raw_sql_ms={r['raw_sql_ms']:.1f} raw_ratio={r['raw_ratio']:.2f}"
            )
    for line in growth_lines(results, sizes):
        print(line)
    return 0


def growth_lines(results: list, sizes: list[int]) -> list[str]:
    """One `BENCH growth` line per page: ms at the largest size ÷ ms at the smallest. With three sizes or more, a
    second line from the next size up, where every region of the country has cases."""
    ordered = sorted(set(sizes))
    if len(ordered) < 2:
        return []
    by_page: dict = {}
    for name, size, r, _rows in results:
        by_page.setdefault(name, {})[size] = r
    starts = ordered[:2] if len(ordered) > 2 else ordered[:1]
    lines = []
    for name, by_size in by_page.items():
        high = by_size[ordered[-1]]
        for start in starts:
            low = by_size[start]
            lines.append(
                f"BENCH growth page={name} from={start} to={ordered[-1]} "
                f"factor={high['ms'] / low['ms']:.2f} queries_from={low['queries']} queries_to={high['queries']}"
            )
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
