"""A page's figures, kept for the same rows (decision 37).

A figures page (a dashboard, the region side by side) is built from the rows of its queries and nothing else but
the inputs of `kept_parts.key`: the builders, the municipalities, the period, the language, the time zone, today's
date and the small-number threshold. Policy officers open the same figures again and again, and between two views
the rows rarely change. So the figures a page built are kept beside the queries it ran and their rows. When the
page is asked for again, the same queries run again, for this request, in the same order; while every row is the
same as the kept one, the build would ask the same next query and get the same rows, so it would make the same
figures, and those are taken from here. At the first row that differs, the figures are built anew, from the rows
already read (no query runs twice).

How it stays correct:

- **The queries run on every request.** Only the Python that turns rows into figures is saved; the rows are the
  database's now, compared value for value with the kept ones (not a sign of them).
- **Only a build whose every query can be run again is kept.** Each query must be a compiled one
  (`compiled.Recording`), run for the page's own scope: its SQL and its parameters' places are the same for every
  scope of that shape, and its values are taken from the new request's scope (its municipalities, dates and the
  moment a follow-up counts as stagnating). A query run through the ORM, one for another scope, any other query on
  the database (counted) or a row holding a value that is not a plain number, text or date, and nothing is kept.
- **Everything else a figure reads is in the key** (`kept_parts.key`), with the database; a change of settings
  empties the store (`kept.KeptStore`). Figures built inside a sum of municipalities (`suppression.sum_of_parts`)
  depend on that sum as well, and are never kept.
- The kept figures are shared between requests and only read, like the kept figures of decision 32.
- `tests/monitoring/test_kept_figures.py` compares every figure of the demo, kept and built anew, in Dutch and in
  English, after changed counts, a renamed domain, another threshold, and fails when a guard is taken out.

Written by hand: no cache library checks an entry by running its inputs' queries again.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from . import compiled, kept_parts
from .kept import KeptStore, hashable
from .suppression import building_a_sum

#: How many pages each process keeps the figures of (the least recently used go first): a page of all
#: municipalities of a region at national size keeps about 3,000 rows and its figures, under half a megabyte.
KEPT = 64

_kept = KeptStore(KEPT)


def enabled() -> bool:
    return settings.KANSRIJK_KEEP_FIGURES


def figures(scope, builders, build) -> list:
    """`build()`: the figures of `scope` by `builders`, or the same figures kept from an earlier request whose
    queries gave the same rows."""
    if not enabled() or not compiled.enabled() or not scope.ids or building_a_sum():
        return build()
    key = kept_parts.key(builders, scope.municipalities, scope.period)
    if key is None:  # a municipality's field that cannot be a key
        return build()
    key = hashable((key, *_database()))
    done: dict = {}
    kept = _kept.get(key)
    if kept is not None:
        runs, figures = kept
        if _same_rows(runs, scope, done):
            return list(figures)
    with compiled.recording(scope, done) as record, kept_parts.QueryCounter() as queries:
        built = build()
    if record.complete and queries.count == record.executed:
        _kept.put(key, (tuple(record.runs), tuple(built)))
    return built


def _same_rows(runs, scope, done: dict) -> bool:
    """Whether the kept queries, run for this scope in their order, give the kept rows; the rows read are left in
    `done` (by entry) for a build that follows."""
    for entry, rows in runs:
        if id(entry) not in done:
            done[id(entry)] = (entry, compiled.run_again(entry, scope))
        if tuple(done[id(entry)][1]) != rows:
            return False
    return True


def _database() -> tuple:
    """Which database the rows come from (the bench switches between them in one process)."""
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.vendor, connection.settings_dict.get("HOST"), connection.settings_dict.get("NAME")


def forget() -> None:
    """Keep nothing (`make bench` measures pages with nothing kept as well: cold_ms)."""
    _kept.forget()
