"""Database expressions the figures need and Django does not have.

`DaysBetween(end, start)`: the days from one moment to another as a float, computed in the database, so a
figure over thousands of cases receives one number per step instead of two datetimes to parse and subtract in
Python (docs/benchmarks.md). NULL when either moment is NULL. Written by hand: Django's duration arithmetic
returns intervals (PostgreSQL) or microseconds (SQLite) that would still be converted row by row.

`DatesApart(end, start)`: the whole days from one date to another (an integer), for grouping in the database
(the weeks of pregnancy at referral are counted per distinct number of days, not per referral).

`Percentile(expression, fraction)`: a percentile of the non-NULL values as an aggregate, so a median or 90th
percentile of the lead times arrives as one number instead of a row per woman. PostgreSQL has it built in
(`percentile_disc`: the nearest rank, as the RIVM and CBS tables use it; `percentile_cont` with
`interpolate=True`: the median of an even number is the mean of the middle two). SQLite has no percentile
function: `register_sqlite_functions` adds both as Python aggregates on every new SQLite connection (as Django
adds its own functions there), computed the same way. Written by hand: no maintained package offers a
percentile aggregate for both databases.
"""

import math

from django.db.models import Aggregate, F, FloatField, Func, IntegerField


def _field(value):
    return F(value) if isinstance(value, str) else value


class _Between(Func):
    """`end` minus `start`, in SQL written per database: `postgresql` and `sqlite` hold {end} and {start}."""

    arity = 2
    postgresql = sqlite = ""

    def __init__(self, end, start, **extra):
        super().__init__(_field(end), _field(start), **extra)

    def _sql(self, compiler, template: str):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return template.format(end=end[0], start=start[0]), (*end[1], *start[1])

    def as_postgresql(self, compiler, connection, **extra):
        return self._sql(compiler, self.postgresql)

    def as_sqlite(self, compiler, connection, **extra):
        return self._sql(compiler, self.sqlite)

    def as_sql(self, compiler, connection, **extra):  # other databases: not supported here
        raise NotImplementedError(f"{type(self).__name__} has no SQL for {connection.vendor}")


class DaysBetween(_Between):
    output_field = FloatField()
    postgresql = "(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)::double precision"
    sqlite = "(julianday({end}) - julianday({start}))"


class DatesApart(_Between):
    output_field = IntegerField()
    postgresql = "({end} - {start})"  # date - date: an integer of days
    sqlite = "CAST(julianday({end}) - julianday({start}) AS INTEGER)"


class Percentile(Aggregate):
    output_field = FloatField()
    arity = 1

    def __init__(self, expression, fraction: float, *, interpolate: bool = False, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction lies between 0 and 1.")
        self.fraction = float(fraction)
        self.interpolate = interpolate
        super().__init__(_field(expression), **extra)

    def _with_template(self, template: str):
        clone = self.copy()
        clone.template = template
        return clone

    def as_postgresql(self, compiler, connection, **extra):
        function = "percentile_cont" if self.interpolate else "percentile_disc"
        clone = self._with_template(f"{function}({self.fraction!r}) WITHIN GROUP (ORDER BY %(expressions)s)")
        return super(Percentile, clone).as_sql(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        function = "kansrijk_percentile_cont" if self.interpolate else "kansrijk_percentile_disc"
        clone = self._with_template(f"{function}(%(expressions)s, {self.fraction!r})")
        return super(Percentile, clone).as_sql(compiler, connection, **extra)

    def as_sql(self, compiler, connection, **extra):  # other databases: not supported here
        raise NotImplementedError(f"Percentile has no SQL for {connection.vendor}")


def percentile_disc(values, fraction: float):
    """The nearest rank: the first value whose rank reaches `fraction` of the values (PostgreSQL's
    percentile_disc). None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def percentile_cont(values, fraction: float):
    """Interpolated between the two nearest ranks (PostgreSQL's percentile_cont). None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


class _SqlitePercentile:
    compute = staticmethod(percentile_disc)

    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return self.compute(self.values, self.fraction)


class _SqlitePercentileCont(_SqlitePercentile):
    compute = staticmethod(percentile_cont)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """On every new SQLite connection (signal connection_created): the percentile aggregates."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("kansrijk_percentile_disc", 2, _SqlitePercentile)
        connection.connection.create_aggregate("kansrijk_percentile_cont", 2, _SqlitePercentileCont)
