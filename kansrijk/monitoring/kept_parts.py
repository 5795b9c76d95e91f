"""The hidden cells of each municipality of a sum, kept for the same rows (decision 32).

A sum of municipalities hides whatever any of them hides (`suppression.sum_of_parts`), so a page of several
municipalities first builds each municipality's own figures to learn what they hide (`indicators._parts_hidden`).
Those figures are built from nothing but the sum's query rows, which hold every municipality's rows, and the
inputs of `key()`. This module keeps what they hid beside the rows they were built from. When a page is shown
again and its rows are the same, the municipalities' figures would be the same, and what they hid is taken from
here; when any row differs, they are built anew.

How it stays correct:

- **The rows are compared, not a sign of them.** `rows_read` makes a copy of every row the sum read from the
  database (`Scope.fetched`) and the kept entry is used only when that copy is equal to the kept one, row for row.
  A model instance (the domains) is compared by all of its fields, not by its primary key: a renamed domain is a
  different row.
- **Everything else a figure reads is in the key**: the figure builders, the municipalities (all their fields),
  the period, the language, the time zone, today's date and the small-number threshold. A change of settings
  empties the store (`kept.KeptStore`). Each municipality's figures are built as her own, outside any sum being
  built around them (`indicators._hidden_in`), and a key that cannot be hashed keeps nothing.
- **Kept only when the rows were everything.** The first municipality's figures are built on every request; they
  make the sum read its rows. The others' are built from those rows only when nothing is kept for them, and what
  they hid is kept only if, meanwhile, they read no other rows of the sum and ran no query of their own. A figure
  that someday reads something else is then never kept, and the page is built as before.
- `tests/monitoring/test_kept_parts.py` builds every figure of several municipalities with and without this,
  before and after changing counts, names and settings, and requires them to be the same.

Written by hand: no cache library compares its entries' inputs rather than a key.
"""

import copy

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.utils import timezone, translation

from .kept import KeptStore, hashable
from .suppression import threshold

#: In a key, between the builders whose hidden cells are kept and those whose figures are kept as well.
KEEP = "and the figures of"

#: How many sums each process keeps the municipalities' hidden cells for (the least recently used go first).
KEPT = 64

_kept = KeptStore(KEPT)


def enabled() -> bool:
    return settings.KANSRIJK_KEEP_PART_LABELS


def key(builders, municipalities, period) -> tuple | None:
    """What a municipality's figures depend on besides the sum's rows; None when it cannot be a key (a field
    that holds a list, say): then nothing is kept."""
    return hashable(
        (
            tuple(builders),
            tuple(_fields(m) for m in municipalities),
            period,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate(),
            threshold(),
        )
    )


def _fields(instance: Model) -> tuple:
    return (type(instance), *(f.value_from_object(instance) for f in instance._meta.concrete_fields))


def rows_read(fetched: dict) -> tuple | None:
    """A copy of what the sum read from the database ({key: rows}), to compare; None when a value is of a kind
    this cannot compare (then nothing is kept)."""
    out = []
    for name, value in fetched.items():
        if not isinstance(value, list):
            return None
        if all(type(row) is tuple for row in value):
            out.append((name, tuple(value)))
        elif all(isinstance(row, Model) for row in value):
            out.append((name, copy.deepcopy(tuple(_fields(row) for row in value))))
        else:
            return None
    out.sort(key=lambda item: repr(item[0]))
    return tuple(out)


def get(entry_key: tuple | None, rows: tuple | None) -> tuple[dict, dict] | None:
    """({figure key: frozenset of label keys}, {(builder, municipality id): figure}) kept for this key and these
    very rows; None when there is none."""
    if rows is None:
        return None
    kept = _kept.get(entry_key)
    if kept is None or kept[0] != rows:
        return None
    return kept[1], kept[2]


def put(entry_key: tuple | None, rows: tuple | None, hidden: dict, figures: dict | None = None) -> None:
    """Keep what the municipalities' figures hid, and the figures the page shows of them (`figures`, read only
    from then on), for these rows."""
    if rows is None:
        return
    frozen = {figure: frozenset(labels) for figure, labels in hidden.items()}
    _kept.put(entry_key, (rows, frozen, dict(figures or {})))


def forget() -> None:
    """Keep nothing (`make bench` measures pages with nothing kept as well: cold_ms)."""
    _kept.forget()


class QueryCounter:
    """Counts the queries run on the default database inside the block."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapping = connections[DEFAULT_DB_ALIAS].execute_wrapper(self)
        self._wrapping.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapping.__exit__(*exc)
