"""The figures' queries, built by Django once per shape and then run again with each scope's own values.

Written by hand: Django has no way to keep a compiled query. It builds every query anew for every request:
resolving the filters and aggregates and writing the SQL costs 0.5–6 ms a query, about as much as a dashboard's
SQL itself takes at national size (docs/benchmarks.md). The figures ask the same queries on every page, only for
other municipalities and dates. So each is built once per database connection and shape (which query, how many
municipalities, the language and time zone), and the places of the scope's values among its parameters are
kept. Later pages run the same SQL with their own values, and Django's own converters for the results.

How it stays correct:

- **A builder reads the scope and nothing else.** `rows()` takes `queryset_of(scope)`; one with closure variables
  or default arguments could carry a value the cache does not see, so it is not compiled here but runs through the
  ORM as before.
- **Two builds, compared.** The first time a shape is asked for, the query is built for the real scope and for a
  stand-in scope (municipality ids and dates that no real scope has). The SQL must be the same, and every parameter
  either the same in both (a constant: a status, a norm) or the real scope's value in the one and the stand-in's in
  the other (`SLOTS`: the municipality ids, the period's start and end, the start of the cases' lifetime, the
  trend's months, the year). Anything else (the clock, a value read from the database) and the shape runs through
  the ORM.
- **A change of settings** (`override_settings`) empties the cache, so norms written into the SQL follow.
- `tests/monitoring/test_compiled.py` builds every figure of the demo for several periods and scopes, with and
  without this, and requires them to be the same; and requires the dashboard's queries to be compiled here.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_kansrijk_compiled_queries"
#: The values of a scope a figure query may use (`indicators.Scope`), besides each municipality's id (`("id", i)`),
#: with the stand-in values no real scope has.
SLOTS = {
    "start": lambda scope: scope.bounds[0],
    "end": lambda scope: scope.bounds[1],
    "since": lambda scope: scope.since,
    "stale_before": lambda scope: scope.stale_before,
    "trend_from": lambda scope: scope.trend_span[0],
    "trend_to": lambda scope: scope.trend_span[1],
    "year": lambda scope: scope.year,
    "year_from": lambda scope: scope.year_span[0],
    "year_to": lambda scope: scope.year_span[1],
}
_STAND_IN_ID = -(10**9)
_STAND_INS = {  # by the scope's shared key
    "bounds": (datetime(1901, 3, 5, 7, 11, 13, tzinfo=UTC), datetime(1902, 5, 7, 11, 13, 17, tzinfo=UTC)),
    "since": datetime(1899, 7, 11, 13, 17, 19, tzinfo=UTC),
    "stale_before": datetime(1898, 11, 13, 17, 19, 23, tzinfo=UTC),
    "trend_span": (date(1897, 1, 1), date(1897, 2, 1)),
    "year": 1789,  # positive: a year field (PositiveIntegerField) proves a negative one matches nothing
    "year_span": (date(1896, 1, 1), date(1896, 3, 1)),
}
#: A shape whose query cannot be kept: it runs through the ORM.
_ORM = object()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple  # ((position in params, slot name), ...)
    columns: int
    converters: tuple  # ((column, (converter, ...), expression), ...)


class _StandInPeriod:
    """A period with nothing to read: a builder must use the scope's values (SLOTS), not its period."""


def slot_value(scope, slot):
    if isinstance(slot, tuple):
        return scope.ids[slot[1]]
    return SLOTS[slot](scope)


def slot_values(scope) -> dict:
    """Every value of the scope a figure query may use, by slot."""
    return {slot: slot_value(scope, slot) for slot in [*(("id", i) for i in range(len(scope.ids))), *SLOTS]}


def stand_in(scope):
    """The scope with stand-in municipalities and values (and no parent: a builder gets the scope it is given)."""
    model = type(scope.municipalities[0]) if scope.municipalities else None
    municipalities = tuple(model(pk=_STAND_IN_ID - i, region_id=_STAND_IN_ID) for i in range(len(scope.ids)))
    return replace(
        scope,
        municipalities=municipalities,
        period=_StandInPeriod(),
        parent=None,
        _shared=dict(_STAND_INS),
        _fetched={},
    )


def enabled() -> bool:
    return settings.KANSRIJK_COMPILED_QUERIES


def _cache() -> dict:
    connection = connections[DEFAULT_DB_ALIAS]
    cache = connection.__dict__.get(_ATTRIBUTE)
    if cache is None:
        cache = connection.__dict__[_ATTRIBUTE] = {}
    return cache


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop(_ATTRIBUTE, None)


def cached_shapes() -> dict:
    """{shape: True when compiled here, False when it runs through the ORM} (for the tests)."""
    return {shape: entry is not _ORM for shape, entry in _cache().items()}


def rows(scope, queryset_of, finish, shape: tuple) -> list[tuple]:
    """The rows of `finish(queryset_of(scope))`, a values_list query. `shape`: what `finish` depends on besides the
    scope (its fields and aggregates), so that one builder finished two ways is kept as two shapes."""
    if not enabled() or not scope.ids or queryset_of.__closure__ or queryset_of.__defaults__:
        # No municipality at all (the definitions page): Django answers without a query.
        return _through_the_orm(scope, queryset_of, finish)
    key = (
        queryset_of.__code__,
        shape,
        len(scope.ids),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    cache = _cache()
    entry = cache.get(key)
    if entry is None:
        entry = cache[key] = _compile(scope, queryset_of, finish)
    if entry is _ORM:
        return _through_the_orm(scope, queryset_of, finish)
    recording = _RECORDING.get()
    if recording is not None:
        return recording.run(entry, scope)
    return _run(entry, scope)


def _through_the_orm(scope, queryset_of, finish) -> list[tuple]:
    recording = _RECORDING.get()
    if recording is not None:
        recording.complete = False  # a query this cannot run again for another request: nothing is kept
    return [tuple(row) for row in finish(queryset_of(scope))]


def _compile(scope, queryset_of, finish):
    """The query of this shape with the places of the scope's values, or _ORM when it cannot be kept."""
    try:
        other_scope = stand_in(scope)
        real = finish(queryset_of(scope))
        other = finish(queryset_of(other_scope))
        if real.db != DEFAULT_DB_ALIAS or other.db != DEFAULT_DB_ALIAS or not _columns_in_order(real):
            return _ORM
        connection = connections[DEFAULT_DB_ALIAS]
        compiler = real.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        other_sql, other_params = other.query.get_compiler(connection=connection).as_sql()
        slots = _slots(params, other_params, slot_values(scope), slot_values(other_scope), connection)
        if sql != other_sql or slots is None:
            return _ORM
        columns = compiler.col_count
        converters = compiler.get_converters([s[0] for s in compiler.select[:columns]])
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            columns=columns,
            converters=tuple((i, tuple(convs), expression) for i, (convs, expression) in converters.items()),
        )
    except Exception:  # noqa: BLE001 — whatever cannot be compiled here runs through the ORM, which says what is wrong
        logger.warning("Figure query kept out of the compiled queries", exc_info=True)
        return _ORM


def _columns_in_order(queryset) -> bool:
    """A values_list query's columns come back in the order asked for (else Django reorders them: ORM)."""
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [*queryset._fields, *(f for f in query.annotation_select if f not in queryset._fields)]
    return fields == names


def _prepare(value, connection):
    """A slot's value as Django hands it to the database driver."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _slots(params, other_params, values: dict, others: dict, connection) -> list | None:
    """[(position, slot)] where the real build has the scope's value and the stand-in build the stand-in's; None when
    a parameter is neither that nor the same in both."""
    if len(params) != len(other_params):
        return None
    by_stand_in = {_prepare(value, connection): slot for slot, value in others.items()}
    found = []
    for position, (real, other) in enumerate(zip(params, other_params, strict=True)):
        try:
            slot = by_stand_in.get(other)
        except TypeError:  # an unhashable parameter (a list): never a stand-in
            slot = None
        if slot is not None and real == _prepare(values[slot], connection):
            found.append((position, slot))
        elif type(real) is not type(other) or real != other:
            return None
    return found


def _run(entry: _Compiled, scope) -> list[tuple]:
    connection = connections[DEFAULT_DB_ALIAS]
    params = list(entry.params)
    for position, slot in entry.slots:
        params[position] = _prepare(slot_value(scope, slot), connection)
    with connection.cursor() as cursor:
        cursor.execute(entry.sql, params)
        fetched = cursor.fetchall()
    if not entry.converters:
        return [tuple(row[: entry.columns]) for row in fetched]
    out = []
    for row in fetched:
        row = list(row[: entry.columns])
        for i, converters, expression in entry.converters:
            for convert in converters:
                row[i] = convert(row[i], expression, connection)
        out.append(tuple(row))
    return out


# --- what a build ran, to run again (kept_figures.py, decision 37) ----------------------------------------------

#: Kinds of value a kept row may hold: compared by value, and never changed in place.
_KEEPABLE = (int, float, str, bool, type(None), Decimal, date, datetime, timedelta, UUID)


class Recording:
    """The compiled queries a build ran for one scope, in the order it asked for them, with their rows.

    `complete` stays True only while every query of the build was a compiled one of this very scope, whose rows hold
    values of the kinds in `_KEEPABLE` only: then the build can be checked against another request by running the
    same queries with that request's scope (`run`). `done`: rows already read for this request, by entry (a check
    that stopped at a changed row hands them over, so that no query runs twice)."""

    def __init__(self, scope, done: dict | None = None):
        self.scope = scope
        self.runs: list = []  # [(entry, rows)]
        self.executed = 0
        self.complete = True
        self._done = dict(done or {})

    def run(self, entry: _Compiled, scope) -> list[tuple]:
        if scope is not self.scope:
            self.complete = False
            return _run(entry, scope)
        rows = self._done.get(id(entry), (None, None))[1]
        if rows is None:
            rows = _run(entry, scope)
            self.executed += 1
            self._done[id(entry)] = (entry, rows)
        if self.complete and not all(type(value) in _KEEPABLE for row in rows for value in row):
            self.complete = False
        self.runs.append((entry, tuple(rows)))
        return rows


_RECORDING: ContextVar[Recording | None] = ContextVar("kansrijk_compiled_recording", default=None)


@contextmanager
def recording(scope, done: dict | None = None):
    """Record the compiled queries run for `scope` inside the block (`Recording`)."""
    record = Recording(scope, done)
    token = _RECORDING.set(record)
    try:
        yield record
    finally:
        _RECORDING.reset(token)


def run_again(entry: _Compiled, scope) -> list[tuple]:
    """The rows of a recorded query for another scope of the same shape."""
    return _run(entry, scope)
