"""The actual figures so far of one municipality and year, beside its capacity plan — through the small-number rule.

Counts go through suppression (a count below the threshold shows as "< 5"); a projection or a number of
hours derived from a hidden count is hidden too."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kansrijk.care.models import Visit, VisitStatus
from kansrijk.cases.models import Case

from . import periods
from .figures import Figure, Value, count_value
from .suppression import protect_table


@dataclass(frozen=True)
class Actuals:
    referrals: int
    families_visited: int
    visits: int
    minutes: int
    share_of_year: float  # 0..1: how much of the year has passed (1 for a past year)


def share_of_year(year: int, today: date | None = None) -> float:
    today = today or timezone.localdate()
    if year < today.year:
        return 1.0
    if year > today.year:
        return 0.0
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return ((today - start).days + 1) / (end - start).days


def actuals(municipality, year: int) -> Actuals:
    start, end = periods.make(periods.YEAR, year).bounds()
    cases = Case.objects.filter(municipality=municipality).aggregate(
        referrals=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        visited=Count("pk", filter=Q(first_visit_at__gte=start, first_visit_at__lt=end)),
    )
    visits = Visit.objects.filter(
        case__municipality=municipality, status=VisitStatus.HELD, scheduled_at__gte=start, scheduled_at__lt=end
    ).aggregate(n=Count("pk"), minutes=Sum("duration_minutes"))
    return Actuals(
        referrals=cases["referrals"],
        families_visited=cases["visited"],
        visits=visits["n"],
        minutes=visits["minutes"] or 0,
        share_of_year=share_of_year(year),
    )


def _number(value, decimals: int = 0) -> Value:
    return Value(number_format(value, decimals, force_grouping=True), float(value))


def comparison(plan_result, act: Actuals) -> Figure:
    """Planned against so far and projected for the whole year (a straight line over the days passed)."""
    table = protect_table([[act.referrals], [act.families_visited], [act.visits]], row_sums=False, column_sums=False)
    so_far = [table.cells[i][0] for i in range(3)]
    hours_hidden = so_far[2].hidden
    hours = act.minutes / 60
    share = act.share_of_year

    def projected(value: float, cell) -> Value:
        if share <= 0:
            return Value("–")
        if cell.hidden:
            return Value(str(cell), None, True)
        return _number(value / share)

    rows = [_("Referrals"), _("Families visited"), _("Visits held"), _("Nurse hours for visits")]
    planned = (
        [plan_result.referrals, plan_result.families, plan_result.visits, plan_result.hours] if plan_result else []
    )
    cells = []
    for i in range(len(rows)):
        plan_value = _number(planned[i], 1 if i == 3 else 0) if planned else Value("–")
        if i < 3:
            now_value = count_value(so_far[i])
            proj = projected(so_far[i].value, so_far[i])
        else:
            now_value = Value(count_value(so_far[2]).text, None, True) if hours_hidden else _number(hours, 1)
            proj = (
                Value(now_value.text, None, True)
                if hours_hidden
                else (_number(hours / share, 1) if share > 0 else Value("–"))
            )
        cells.append([plan_value, now_value, proj])
    return Figure.statistics(
        key="plan_vs_actual",
        title=_("Plan against the figures so far"),
        definition=_(
            "Planned for the year, recorded so far this year (referrals received, families with a first home "
            "visit, visits held and their recorded duration) and a straight-line projection to the whole year."
        ),
        row_header=_("What"),
        rows=rows,
        columns=[_("Planned"), _("So far"), _("Projected for the year")],
        cells=cells,
        chart="compare",
    )
