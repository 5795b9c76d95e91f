"""Periods of the figures: a month, a quarter or a year, written as "2025-07", "2025-K3" or "2025"."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[KQ](?P<quarter>[1-4])))?$")


@dataclass(frozen=True, order=True)
class Period:
    start: date  # first day
    end: date  # first day after the period
    kind: str

    @property
    def slug(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-K{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return str(self.start.year)
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return date_format(self.start, "F Y")

    @property
    def short_label(self) -> str:
        """For chart axes."""
        if self.kind == MONTH:
            return date_format(self.start, "M y")
        return self.label

    @property
    def year(self) -> int:
        return self.start.year

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the current time zone, for filtering timestamps."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tz), datetime.combine(self.end, time.min, tz))

    def previous(self, n: int = 1) -> "Period":
        p = self
        for _i in range(n):
            p = make(p.kind, *(_step(p.start, p.kind, -1)))
        return p

    def series(self, length: int) -> list["Period"]:
        """`length` consecutive periods of this kind, ending with this one (for trends)."""
        if length < 1:
            return []
        out = [self]
        for _i in range(length - 1):
            out.append(out[-1].previous())
        return out[::-1]

    def is_future(self) -> bool:
        return self.start > timezone.localdate()


def _step(start: date, kind: str, by: int) -> tuple[int, int]:
    months = {YEAR: 12, QUARTER: 3, MONTH: 1}[kind] * by
    index = start.year * 12 + start.month - 1 + months
    return index // 12, index % 12 + 1


def make(kind: str, year: int, month: int = 1) -> Period:
    if kind == YEAR:
        return Period(date(year, 1, 1), date(year + 1, 1, 1), YEAR)
    if kind == QUARTER:
        first = (month - 1) // 3 * 3 + 1
        end_year, end_month = _step(date(year, first, 1), QUARTER, 1)
        return Period(date(year, first, 1), date(end_year, end_month, 1), QUARTER)
    end_year, end_month = _step(date(year, month, 1), MONTH, 1)
    return Period(date(year, month, 1), date(end_year, end_month, 1), MONTH)


def months_of(period: Period) -> list[date]:
    """The first day of each month in the period."""
    out, day = [], period.start
    while day < period.end:
        out.append(day)
        day = date(*_step(day, MONTH, 1), 1)
    return out


def parse(text: str | None) -> Period | None:
    """A period from its slug; None when the text is not one (or an impossible month)."""
    match = _PATTERN.match((text or "").strip().upper())
    if not match:
        return None
    year = int(match["year"])
    if not 1900 <= year <= 2999:
        return None
    if match["month"]:
        month = int(match["month"])
        return make(MONTH, year, month) if 1 <= month <= 12 else None
    if match["quarter"]:
        return make(QUARTER, year, (int(match["quarter"]) - 1) * 3 + 1)
    return make(YEAR, year)


def current(kind: str = YEAR, today: date | None = None) -> Period:
    """The period of this kind that holds today (in Dutch time), or the given day."""
    today = today or timezone.localdate()
    return make(kind, today.year, today.month)


def trend_length(kind: str) -> int:
    """How many periods a trend chart shows."""
    return {YEAR: 5, QUARTER: 8, MONTH: 12}[kind]


def finer(period: Period) -> str:
    """The kind of period a trend within `period` steps by."""
    return {YEAR: MONTH, QUARTER: MONTH, MONTH: MONTH}[period.kind]
