"""Database expressions the figures need and Django does not have.

`DaysBetween(end, start)`: the days from one moment to another as a float, computed in the database, so a
figure over thousands of cases receives one number per step instead of two datetimes to parse and subtract in
Python (docs/benchmarks.md). NULL when either moment is NULL. Written by hand: Django's duration arithmetic
returns intervals (PostgreSQL) or microseconds (SQLite) that would still be converted row by row.

`DatesApart(end, start)`: the whole days from one date to another (an integer), for grouping in the database
(the weeks of pregnancy at referral are counted per distinct number of days, not per referral).
"""

from django.db.models import F, FloatField, Func, IntegerField


def _field(value):
    return F(value) if isinstance(value, str) else value


class DaysBetween(Func):
    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(_field(end), _field(start), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 86400.0)::double precision"
        return sql, (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(julianday({end[0]}) - julianday({start[0]}))", (*end[1], *start[1])

    def as_sql(self, compiler, connection, **extra):  # other databases: not supported here
        raise NotImplementedError(f"DaysBetween has no SQL for {connection.vendor}")


class DatesApart(Func):
    output_field = IntegerField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(_field(end), _field(start), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return f"({end[0]} - {start[0]})", (*end[1], *start[1])  # date - date: an integer of days

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return f"CAST(julianday({end[0]}) - julianday({start[0]}) AS INTEGER)", (*end[1], *start[1])

    def as_sql(self, compiler, connection, **extra):  # other databases: not supported here
        raise NotImplementedError(f"DatesApart has no SQL for {connection.vendor}")
