"""The indicators: raw counts and statistics per municipality and period, turned into Figures.

Every function takes a `Scope` (which municipalities, which period) and returns one `Figure`. All counts
pass through `Figure.counts` (and so through suppression.py) before anything is shown; this module
never returns a number to a page by any other road. Definitions are in docs/monitoring.md and in each
Figure's `definition`.

The cohort of a period is the cases (pregnancies) whose referral was **received** in the period; events
with their own date (visits held, follow-ups made, gaps recorded, feedback sent, cases closed) are counted
in the period in which they happened. Every query filters on an indexed column and the period, so a
dashboard costs the same whatever the size of the rest of the database (see docs/benchmarks.md).
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kansrijk.care.models import AssessmentDomain, Visit, VisitForm, VisitStatus
from kansrijk.cases.models import Case, CloseReason
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment
from kansrijk.followup.models import OPEN_STATUSES, FollowUp, FollowUpEvent, FollowUpStatus, Gap, GapReason
from kansrijk.organisations.models import Municipality
from kansrijk.referrals.models import Referral, ReferralSource, VulnerabilityDomain

from . import compiled, kept_figures, kept_parts, monthly, periods
from .expressions import DatesApart, DaysBetween, Percentile, percentile_disc
from .figures import Figure, count_value, index_keys, statistic
from .models_births import LiveBirths
from .periods import Period
from .suppression import (
    parts_hide,
    protect_alone,
    protect_linked,
    protect_list,
    protect_side_by_side,
    sum_of_parts,
)

#: The national monitor's items the figures belong to (docs/monitoring.md, "The indicators"). Indicator 4 of the
#: RIVM set counts the municipalities where the JGZ offers the prenatal home visit; these figures are the
#: registration behind a municipality's answer, and how much of it there is.
RIVM_PHB = gettext_lazy(
    "RIVM Kansrijke Start, indicator 4: municipalities where the JGZ offers the prenatal home visit"
)
RIVM_REACH = gettext_lazy("RIVM Kansrijke Start, with indicator 4 (local addition: reach among live births)")
RIVM_CHAIN = gettext_lazy("RIVM Kansrijke Start: link between the medical and social domains (local addition)")


@dataclass(frozen=True)
class Scope:
    """Whose figures and over which period. `municipalities`: ordered list of Municipality objects."""

    municipalities: tuple
    period: Period
    #: The scope of several municipalities this one municipality is a part of (`_part`): it takes its rows out of
    #: that scope's queries, grouped by municipality (`_rows`), instead of running its own.
    parent: "Scope | None" = field(default=None, compare=False, repr=False)
    #: What several figures of one page read (the cohort's counts, the domain names): fetched once per scope.
    _shared: dict = field(default_factory=dict, compare=False, repr=False)
    #: Of those, what was read from the database (`fetched`), by key: the rows a sum's parts are built from.
    _fetched: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def ids(self) -> list[int]:
        return self.shared("ids", lambda: [m.pk for m in self.municipalities])

    def shared(self, key: str, fetch):
        """`fetch()`, run once for this scope however many figures ask for it."""
        if key not in self._shared:
            self._shared[key] = fetch()
        return self._shared[key]

    def fetched(self, key, fetch):
        """`shared`, for a list read from the database: kept apart as well, so that the hidden cells of a sum's
        municipalities can be kept for the same rows (kept_parts.py)."""
        if key not in self._shared:
            self._shared[key] = self._fetched[key] = fetch()
        return self._shared[key]

    # The values the figure queries read, each worked out once per scope. The figure queries read the scope only
    # through these and `ids` (compiled.SLOTS): they are what changes from one scope to the next.

    @property
    def bounds(self):
        """The period as aware datetimes [start, end)."""
        return self.shared("bounds", lambda: self.period.bounds())

    @property
    def since(self):
        """The earliest referral whose case can have events in the period (`CASE_LIFETIME`)."""
        return self.shared("since", lambda: self.bounds[0] - CASE_LIFETIME)

    @property
    def stale_before(self):
        """A follow-up referral whose status has not changed since then is stagnating (today, not the period)."""
        return self.shared("stale_before", lambda: timezone.now() - timedelta(days=settings.KANSRIJK_STAGNATION_DAYS))

    @property
    def series(self) -> list:
        """The periods of the trend, ending with this one."""
        return self.shared("series", lambda: self.period.series(periods.trend_length(self.period.kind)))

    @property
    def trend_span(self) -> tuple:
        """The trend's months [first, end) as dates."""
        return self.shared("trend_span", lambda: (self.series[0].start, self.series[-1].end))

    @property
    def year(self) -> int:
        return self.shared("year", lambda: self.period.year)

    @property
    def year_span(self) -> tuple:
        """The period's year [first day, first day of the next) as dates: the reach is over the whole year."""
        return self.shared("year_span", lambda: (date(self.year, 1, 1), date(self.year + 1, 1, 1)))


# --- helpers -------------------------------------------------------------------------


def _cohort(scope: Scope):
    start, end = scope.bounds
    return Case.objects.filter(municipality_id__in=scope.ids, received_at__gte=start, received_at__lt=end)


#: Events in a period (visits, follow-ups, feedback) belong to cases referred at most this long before it: a
#: case is referred in pregnancy (the due date at most 43 weeks away) and handed over after the birth, and
#: follow-up support starts within months. Fifteen months leaves room for that; bounding the cases keeps each
#: query to the municipality's recent cases (index case_municipality_received) instead of its whole history.
CASE_LIFETIME = timedelta(days=450)


def _cases_of(scope: Scope, path: str, since) -> dict:
    """Conditions on a record's case (`path`: the way to it, such as "case" or "follow_up__case"): a case of the
    scope's municipalities referred from `since` until the period's end; `scope.since` for the cases that can have
    events in the period, the period's start for its cohort. Conditions on the join to the case rather than a
    subquery of its ids: a query grouped by municipality takes her id over the same join, so that each record's
    case is looked up once, not twice (at national size the second lookup doubled the cost of several figures)."""
    return {
        f"{path}__municipality_id__in": scope.ids,
        f"{path}__received_at__gte": since,
        f"{path}__received_at__lt": scope.bounds[1],
    }


def _rows(scope: Scope, key: str, fetch) -> list[tuple]:
    """`fetch(scope)`: rows whose first item is a municipality id (`_municipality_rows`), fetched once per scope.

    A municipality that is a part of a sum (`_part`) takes its own rows out of the sum's rows: the figures of
    nine municipalities and of their sum come from the same queries, one each, and so from the same records."""
    if scope.parent is None:
        return scope.fetched(key, lambda: fetch(scope))
    parent = scope.parent
    everyone = _rows(parent, key, fetch)

    def per_municipality():
        out: dict = defaultdict(list)
        for row in everyone:
            out[row[0]].append(row)
        return out

    return parent.shared((key, "per municipality"), per_municipality).get(scope.ids[0], [])


def _municipality_rows(scope: Scope, queryset_of, municipality: str, fields=(), **aggregates) -> list[tuple]:
    """Rows (municipality id, *fields, *aggregates) of `queryset_of(scope)`: grouped by `fields` when there are
    aggregates, and by the municipality (`municipality`: the path to its id) when the scope has several. For one
    municipality the query stays as it was (no join, no extra group) and her id is added to each row.

    `queryset_of` reads only the scope it is given: its query is then built once and run again with each scope's
    values (compiled.py)."""
    several = len(scope.municipalities) > 1
    columns = [municipality, *fields] if several else list(fields)

    def finish(queryset):
        if aggregates:
            return queryset.values(*columns).annotate(**aggregates).values_list(*columns, *aggregates).order_by()
        return queryset.values_list(*columns)

    shape = (municipality, tuple(fields), tuple(aggregates))
    if aggregates and not columns:
        rows = [_over_all(scope, queryset_of, aggregates, shape)]
    else:
        rows = compiled.rows(scope, queryset_of, finish, shape)
    if several:
        return rows
    own = scope.ids[0] if scope.ids else None
    return [(own, *row) for row in rows]


def _aggregated(queryset, aggregates: dict):
    """`queryset.aggregate(**aggregates)` as a values_list query: one row over all records (no GROUP BY), also when
    there are none, as aggregate() gives."""
    return queryset.annotate(_all=Value(1)).values("_all").annotate(**aggregates).values_list(*aggregates).order_by()


def _as_is(queryset):
    """For `compiled.rows`: a builder's query that is complete already."""
    return queryset


def _over_all(scope: Scope, queryset_of, aggregates: dict, shape: tuple) -> tuple:
    """The one row of `aggregates` over all records of `queryset_of(scope)`, as aggregate() gives it; for a scope of
    no municipality (no query runs) its zeros, and None for the medians."""
    rows = compiled.rows(scope, queryset_of, lambda queryset: _aggregated(queryset, aggregates), shape)
    return rows[0] if rows else _no_records(aggregates)


def _no_records(aggregates: dict) -> tuple:
    """What `aggregates` are over no records, as aggregate() gives it without a query: zeros, and None for medians."""
    return tuple(aggregate.empty_result_set_value for aggregate in aggregates.values())


def _counts_by(scope: Scope, key: str, queryset_of, municipality: str, field: str) -> Counter:
    """{value of `field`: number of rows} of `queryset_of(scope)`, in one GROUP BY query (`_rows`)."""
    rows = _rows(scope, key, lambda s: _municipality_rows(s, queryset_of, municipality, [field], n=Count("pk")))
    counts: Counter = Counter()
    for _municipality, value, n in rows:
        counts[value] += n
    return counts


def _column_sums(rows: list[tuple], width: int) -> list[int]:
    """The sum of each of the `width` columns after the municipality of `_municipality_rows` rows."""
    return [sum(row[i] or 0 for row in rows) for i in range(1, width + 1)]


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank), as the RIVM and CBS tables use it; None for no values. The same
    definition as the database's `Percentile` aggregate (expressions.percentile_disc)."""
    return percentile_disc(values, p / 100)


def _domains(scope: Scope):
    """The vulnerability domains of the regions of the scope's municipalities: a query of the scope's ids only, so
    that it is kept as the figure queries are (compiled.py)."""
    regions = Municipality.objects.filter(pk__in=scope.ids).values("region_id")
    return VulnerabilityDomain.objects.filter(region_id__in=regions)


def _domain_rows(queryset):
    return queryset.values_list("pk", "region_id", "name_nl", "name_en").order_by("order", "name_nl", "pk")


def _domain_names(scope: Scope) -> list[tuple[int, str]]:
    """The vulnerability domains of the scope's regions, in their order: [(pk, name in the active language)]."""
    top = scope.parent or scope
    domains = top.fetched("domains", lambda: compiled.rows(top, _domains, _domain_rows, ("domains",)))
    region_ids = {m.region_id for m in scope.municipalities}
    return [
        (pk, VulnerabilityDomain.name_for(name_nl, name_en))
        for pk, region_id, name_nl, name_en in domains
        if region_id in region_ids
    ]


def _cohort_counts(scope: Scope) -> dict:
    """What the funnel, acceptance, outcomes and lead times need of the period's cohort, in one query. A part of
    a sum reads its row out of one query grouped by municipality; the sum itself runs its own, because its
    medians and percentiles are over all its women, which rows per municipality cannot give."""

    def fetch():
        aggregates = (scope.parent or scope).shared("cohort aggregates", _cohort_aggregates)
        if scope.parent is None:  # over all its women, also when the scope has several municipalities
            return dict(
                zip(aggregates, _over_all(scope, _cohort, aggregates, ("cohort", tuple(aggregates))), strict=True)
            )
        rows = _rows(
            scope,
            "cohort per municipality",
            lambda s: _municipality_rows(s, _cohort, "municipality_id", **aggregates),
        )
        values = rows[0][1:] if rows else _no_records(aggregates)  # no women referred: no row, and no query
        return dict(zip(aggregates, values, strict=True))

    return scope.shared("cohort", fetch)


def _cohort_aggregates() -> dict:
    """The aggregates of `_cohort_counts`, by name."""
    visited, no_visit = Q(first_visit_at__isnull=False), Q(first_visit_at__isnull=True)
    closed = Q(status="closed")
    counts = {
        "referred": Count("pk"),
        "assigned": Count("pk", filter=Q(assigned_at__isnull=False)),
        "contacted": Count("pk", filter=Q(first_contact_at__isnull=False)),
        "visited": Count("pk", filter=visited),
        "declined": Count("pk", filter=no_visit & Q(close_reason=CloseReason.DECLINED)),
        "unreachable": Count("pk", filter=no_visit & Q(close_reason=CloseReason.UNREACHABLE)),
        "closed_other": Count(
            "pk", filter=no_visit & closed & ~Q(close_reason__in=[CloseReason.DECLINED, CloseReason.UNREACHABLE])
        ),
        "waiting": Count("pk", filter=no_visit & ~closed),
        "open": Count("pk", filter=~closed),
    }
    for value, _label in CloseReason.choices:
        counts[f"closed:{value}"] = Count("pk", filter=closed & Q(close_reason=value))
    for step, stamp, norm in _lead_steps():
        counts.update(_lead_time(step, DaysBetween(stamp, "received_at"), norm))
    return counts


def _lead_steps() -> list[tuple[str, str, int]]:
    """(name, the case's stamp, norm in days) of each step counted from receiving the referral."""
    return [
        ("days_to_assign", "assigned_at", settings.KANSRIJK_NORM_ASSIGN_DAYS),
        ("days_to_contact", "first_contact_at", settings.KANSRIJK_NORM_CONTACT_DAYS),
        ("days_to_visit", "first_visit_at", settings.KANSRIJK_NORM_VISIT_DAYS),
    ]


def _lead_time(step: str, days, norm: int) -> dict:
    """Aggregates over the women who reached the step (`days` is there and not negative): how many, how many
    within the norm, the median and the 90th percentile (nearest rank), computed in the database."""
    reached = Q(GreaterThanOrEqual(days, 0))
    return {
        f"{step}:n": Count("pk", filter=reached),
        f"{step}:within": Count("pk", filter=reached & Q(LessThanOrEqual(days, norm))),
        f"{step}:median": Percentile(days, 0.5, interpolate=True, filter=reached),
        f"{step}:p90": Percentile(days, 0.9, filter=reached),
    }


def _lead_time_cells(row: dict, step: str, *, decimals: int = 1) -> list:
    n = row[f"{step}:n"]
    return [
        statistic(row[f"{step}:median"], n, decimals=decimals),
        statistic(row[f"{step}:p90"], n, decimals=decimals),
        statistic(100 * row[f"{step}:within"] / n if n else None, n, decimals=0, suffix=" %"),
    ]


# --- the funnel and the trend ------------------------------------------------------------


def funnel(scope: Scope) -> Figure:
    row = _cohort_counts(scope)
    follow = _rows(
        scope,
        "funnel_follow_ups",
        lambda s: _municipality_rows(
            s,
            lambda q: FollowUp.objects.filter(**_cases_of(q, "case", q.bounds[0])),
            "case__municipality_id",
            referred_on=Count("case_id", distinct=True),
            started=Count(
                "case_id", distinct=True, filter=Q(status__in=[FollowUpStatus.STARTED, FollowUpStatus.ENDED])
            ),
        ),
    )
    # A case belongs to one municipality: her distinct cases add up over municipalities.
    referred_on, started = _column_sums(follow, 2)
    labels = [
        _("Referred"),
        _("Assigned to a nurse"),
        _("First contact"),
        _("Home visit held"),
        _("Referred on to follow-up support"),
        _("Follow-up support started"),
    ]
    counts = [row["referred"], row["assigned"], row["contacted"], row["visited"], referred_on, started]
    return Figure.counts(
        key="funnel",
        title=_("From referral to follow-up support"),
        definition=_(
            "Women referred in the period, and how many of them have reached each step so far: assigned to a "
            "nurse, first contact, home visit held, referred on to follow-up support, follow-up support started."
        ),
        rivm=RIVM_PHB,
        row_header=_("Step"),
        rows=labels,
        columns=[_("Women")],
        counts=[[n] for n in counts],
        totals=False,
        chart="funnel",
    )


def trend(scope: Scope) -> Figure:
    """Referrals and first home visits per period, over the last few periods of the same kind."""
    series = scope.series
    # The period each month of the summary falls in, by month (the same for a part and its sum: worked out once).
    index = (scope.parent or scope).shared(
        "trend_index",
        lambda: {month: i for i, p in enumerate(series) for month in periods.months_of(p)},
    )
    got: Counter = Counter()
    seen: Counter = Counter()
    # From the monthly summary (monthly.py): months added up, not years of cases counted.
    months = _rows(
        scope,
        "trend",
        lambda s: _municipality_rows(
            s,
            lambda q: monthly.months(q.ids, *q.trend_span),
            "municipality_id",
            ["month"],
            r=Sum("referred"),
            v=Sum("first_visits"),
        ),
    )
    for _municipality, month, referred, visited in months:
        i = index.get(month)
        if i is not None:
            got[i] += referred or 0
            seen[i] += visited or 0
    return Figure.counts(
        key="trend",
        title=_("Referrals and first home visits over time"),
        definition=_(
            "Per period: the women referred (by the date the referral was received) and the women whose first "
            "home visit took place (by the date of that visit)."
        ),
        rivm=RIVM_PHB,
        row_header=_("Period"),
        # The periods' labels, the same for a part and its sum: written once (a region page has fifteen trends).
        rows=(scope.parent or scope).shared("trend_labels", lambda: [p.short_label for p in series]),
        columns=[_("Referred"), _("First home visit")],
        counts=[[got[i], seen[i]] for i in range(len(series))],
        totals=False,
        chart="trend",
    )


# --- referrals ---------------------------------------------------------------------------


def _referrals(scope: Scope):
    start, end = scope.bounds
    return Referral.objects.filter(**_cases_of(scope, "case", scope.since), created_at__gte=start, created_at__lt=end)


def _referral_counts(scope: Scope) -> list[tuple[int, str, str | None, int]]:
    """[(municipality id, source, referring organisation's name, referrals)] of the period: by source and by
    organisation, in one query."""
    return _rows(
        scope,
        "referrals",
        lambda s: _municipality_rows(
            s, _referrals, "case__municipality_id", ["source", "referrer_organisation__name"], n=Count("pk")
        ),
    )


def _referral_lists(scope: Scope) -> dict:
    """Referrals by source and by organisation, protected together (`suppression.protect_linked`): a source's
    count is the sum of its organisations' counts, so an "x" in one list must not be added up from the other."""

    def fetch():
        sources = [value for value, _label in ReferralSource.choices]
        by_source: Counter = Counter()
        by_org: Counter = Counter()
        by_pair: Counter = Counter()  # which source referred from which organisation
        for _municipality, source, organisation, n in _referral_counts(scope):
            by_source[source] += n
            by_org[organisation] += n
            by_pair[(source, organisation)] += n
        # Most referrals first; the organisations with as many in alphabetical order, no organisation last.
        orgs = [name for name, _n in sorted(by_org.items(), key=lambda i: (-i[1], i[0] is None, i[0] or ""))]
        source_labels = [str(label) for _value, label in ReferralSource.choices]
        org_labels = [name or str(_("No organisation (self-registration)")) for name in orgs]
        column = [str(_("Referrals"))]
        forced = _linked_keys(parts_hide("referrals_by_source"), 0, source_labels, column) | _linked_keys(
            parts_hide("referrals_by_organisation"), 1, org_labels, column
        )
        # The pairs are the table whose margins the two lists are.
        source_at, org_at = {v: i for i, v in enumerate(sources)}, {name: k for k, name in enumerate(orgs)}
        by_source_table, by_org_table = protect_linked(
            [[[by_source.get(v, 0)] for v in sources], [[by_org[name]] for name in orgs]],
            _linked_groups({pair for pair, n in by_pair.items() if n}, sources, orgs),
            width=1,
            row_sums=False,
            force_hidden=forced,
            pairs={(source_at[source], org_at[org]): n for (source, org), n in by_pair.items()},
            published=[("col", 0)],  # the referrals of the period: "weeks of pregnancy" shows them too
        )
        return {"sources": (source_labels, by_source_table), "organisations": (org_labels, by_org_table)}

    return scope.shared("referral_lists", fetch)


def _linked_keys(labels: set, index: int, rows: list[str], columns: list[str]) -> set:
    """Label keys (Figure.hidden_labels) of table `index` as keys of `suppression.protect_linked`."""
    as_linked = {
        "cell": lambda i, j: ("cell", index, i, j),
        "row": lambda i, _j: ("row", index, i),
        "col": lambda _i, j: ("col", j),
        "all": lambda _i, _j: ("all",),
    }
    return {as_linked[kind](i, j) for kind, i, j in index_keys(labels, rows, columns)}


def _linked_groups(edges: set, left: list, right: list) -> list:
    """Rows of two tables over the same records, in connected groups by the records they share (a source and
    the organisations that referred under it; a domain and the offers used for it): each group's left rows add
    up to its right rows. `edges`: (left key, right key) pairs with records; rows as (table, index) pairs."""
    parent: dict = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in edges:
        parent[find(("l", a))] = find(("r", b))
    groups: dict = defaultdict(lambda: ([], []))
    for i, key in enumerate(left):
        if ("l", key) in parent:
            groups[find(("l", key))][0].append((0, i))
    for j, key in enumerate(right):
        if ("r", key) in parent:
            groups[find(("r", key))][1].append((1, j))
    return list(groups.values())


def referrals_by_source(scope: Scope) -> Figure:
    labels, table = _referral_lists(scope)["sources"]
    return Figure.protected(
        table,
        rows=labels,
        row_totals=False,
        key="referrals_by_source",
        title=_("Referrals by source"),
        definition=_(
            "Referrals received in the period, by who referred: midwife, hospital, maternity care, GP, social "
            "team, the woman herself (self-registration on the public desk) or another professional. A woman "
            "referred twice counts twice."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Source"),
        columns=[_("Referrals")],
        chart="bars",
    )


def referrals_by_organisation(scope: Scope) -> Figure:
    labels, table = _referral_lists(scope)["organisations"]
    return Figure.protected(
        table,
        rows=labels,
        row_totals=False,
        key="referrals_by_organisation",
        title=_("Referrals by referring organisation"),
        definition=_("Referrals received in the period, by the organisation of the professional who referred."),
        row_header=_("Organisation"),
        columns=[_("Referrals")],
        chart="bars",
    )


def reach(scope: Scope) -> Figure:
    """Women referred against live births (CBS), per municipality; for a year (a shorter period: its year)."""
    year = scope.year
    # CBS publishes a year's births months later: use the latest known year up to this one, and say so.
    births: dict = {}
    births_year: dict = {}
    known = _rows(
        scope,
        "births",
        lambda s: compiled.rows(
            s,
            lambda q: (
                LiveBirths.objects.filter(municipality_id__in=q.ids, year__lte=q.year)
                .order_by("municipality_id", "-year")
                .values_list("municipality_id", "count", "year")
            ),
            _as_is,
            ("births",),
        ),
    )
    for municipality_id, count, birth_year in known:
        if municipality_id not in births:
            births[municipality_id], births_year[municipality_id] = count, birth_year
    referred = {
        municipality_id: n or 0
        for municipality_id, n in _rows(
            scope,
            "reach",
            lambda s: compiled.rows(
                s,
                lambda q: (
                    monthly.months(q.ids, *q.year_span)
                    .values_list("municipality_id")
                    .annotate(r=Sum("referred"))
                    .values_list("municipality_id", "r")
                    .order_by()
                ),
                _as_is,
                ("reach",),
            ),
        )
    }
    # Each municipality's count as her own figure shows it; the table has no total, so nothing more to hide.
    women = [protect_alone(referred.get(m.pk, 0)) for m in scope.municipalities]
    cells = []
    for m, cell in zip(scope.municipalities, women, strict=True):
        n_births = births.get(m.pk)
        share = None
        if n_births and not cell.hidden:
            share = 100 * cell.value / n_births
        cells.append(
            [
                count_value(cell),
                statistic(float(n_births), n_births) if n_births is not None else statistic(None, 0),
                statistic(share, cell.value, decimals=1, suffix=" %") if share is not None else statistic(None, 0),
            ]
        )
    figure = Figure.statistics(
        key="reach",
        title=_("Reach: women referred against live births, %(year)s") % {"year": year},
        definition=_(
            "Women (pregnancies) referred in the year, divided by the live births in the municipality in that "
            "year (CBS StatLine; the latest published year when that year is not yet known). Shown for the "
            "whole year, also when a month or quarter is chosen."
        ),
        rivm=RIVM_REACH,
        row_header=_("Municipality"),
        rows=[m.name for m in scope.municipalities],
        columns=[_("Women referred"), _("Live births"), _("Reach")],
        cells=cells,
        chart="compare" if len(scope.municipalities) > 1 else None,
        chart_columns=(2,),  # the reach only: women and births are in the table, a share is not a count
    )
    if not births:
        figure.notes.append(
            _("No birth figures for %(year)s yet: import them with import_cbs_births.") % {"year": year}
        )
    # Which year's births a municipality's reach divides by, where it is not the year itself.
    earlier: dict = defaultdict(list)
    for m in scope.municipalities:
        if births_year.get(m.pk, year) != year:
            earlier[births_year[m.pk]].append(m.name)
    for birth_year, names in sorted(earlier.items(), reverse=True):
        figure.notes.append(
            _("%(names)s: live births of %(birth_year)s, the latest year known.")
            % {"names": ", ".join(names), "birth_year": birth_year}
        )
    return figure


def weeks_at_referral(scope: Scope) -> Figure:
    buckets = [
        (_("Before 12 weeks"), 0, 12),
        (_("12 to 19 weeks"), 12, 20),
        (_("20 to 27 weeks"), 20, 28),
        (_("28 to 33 weeks"), 28, 34),
        (_("34 weeks or later"), 34, 99),
    ]
    counts = [0] * len(buckets)
    weeks_list: list[float] = []
    full = settings.KANSRIJK_PREGNANCY_WEEKS * 7
    # Days from the day of referral (Dutch date) to the due date, counted per distinct number of days.
    by_days_left = _rows(
        scope,
        "weeks_at_referral",
        lambda s: _municipality_rows(
            s,
            lambda q: _referrals(q).annotate(days_left=DatesApart("due_date", TruncDate("created_at"))),
            "case__municipality_id",
            ["days_left"],
            n=Count("pk"),
        ),
    )
    for _municipality, days_left, n in by_days_left:
        weeks = max(0, full - days_left) / 7
        weeks_list.extend([weeks] * n)
        for i, (_label, low, high) in enumerate(buckets):
            if low <= weeks < high:
                counts[i] += n
                break
    figure = Figure.counts(
        key="weeks_at_referral",
        title=_("Weeks of pregnancy at referral"),
        definition=_(
            "Referrals received in the period, by the weeks of pregnancy on the day of referral (counted back "
            "from the due date given in the referral). Earlier referral leaves more time for support."
        ),
        rivm=RIVM_PHB,
        row_header=_("Weeks of pregnancy"),
        rows=[label for label, *_rest in buckets],
        columns=[_("Referrals")],
        counts=[[n] for n in counts],
        chart="bars",
    )
    median = statistic(statistics.median(weeks_list) if weeks_list else None, len(weeks_list), decimals=1)
    if not median.hidden and median.number is not None:
        figure.notes.append(_("Median: %(weeks)s weeks.") % {"weeks": median.text})
    return figure


def lead_times(scope: Scope) -> Figure:
    labels = [_("Referral to assignment"), _("Referral to first contact"), _("Referral to first home visit")]
    row = _cohort_counts(scope)
    cells = [
        [
            *_lead_time_cells(row, step),
            statistic(float(norm), 999),
            count_value(protect_alone(row[f"{step}:n"])),
        ]
        for step, _field, norm in _lead_steps()
    ]
    return Figure.statistics(
        key="lead_times",
        title=_("Lead times"),
        unit=_("days"),
        definition=_(
            "For women referred in the period who reached the step: the days from receiving the referral to "
            "assignment to a nurse, to first contact and to the first home visit. Median, 90th percentile and "
            "the share within the norm (settings KANSRIJK_NORM_*_DAYS). Shown only over 5 women or more."
        ),
        rivm=RIVM_PHB,
        row_header=_("Step"),
        rows=labels,
        columns=[_("Median"), _("90th percentile"), _("Within norm"), _("Norm"), _("Women")],
        cells=cells,
        chart="bars",
    )


# --- outcomes and visits -------------------------------------------------------------------


def outcomes(scope: Scope) -> Figure:
    row = _cohort_counts(scope)
    rows = [label for _value, label in CloseReason.choices] + [_("Still open")]
    counts = [row[f"closed:{value}"] for value, _label in CloseReason.choices] + [row["open"]]
    return Figure.counts(
        key="outcomes",
        title=_("How it went: outcome of the referrals"),
        definition=_(
            "Women referred in the period, by the reason their case was closed (completed, declined by the "
            "woman, unreachable, moved, pregnancy ended, already in care elsewhere, not in the target group), "
            "or still open."
        ),
        rivm=RIVM_PHB,
        row_header=_("Outcome"),
        rows=rows,
        columns=[_("Women")],
        counts=[[n] for n in counts],
        chart="bars",
    )


def acceptance(scope: Scope) -> Figure:
    row = _cohort_counts(scope)
    return Figure.counts(
        key="acceptance",
        title=_("Accepted, declined, unreachable"),
        definition=_(
            "Women referred in the period: accepted (a home visit took place), declined, unreachable, closed "
            "before a visit for another reason, or still waiting for the first visit."
        ),
        rivm=RIVM_PHB,
        row_header=_("Answer"),
        rows=[_("Accepted"), _("Declined"), _("Unreachable"), _("Closed for another reason"), _("No visit yet")],
        columns=[_("Women")],
        counts=[[row["visited"]], [row["declined"]], [row["unreachable"]], [row["closed_other"]], [row["waiting"]]],
        # The accepted women are the funnel's "home visit held": hiding them here would protect nothing.
        published=[("cell", 0, 0)],
        chart="bars",
    )


def visits_by_form(scope: Scope) -> Figure:
    forms = [value for value, _label in VisitForm.choices]
    aggregates = {
        "visits": Count("pk"),
        "families": Count("case_id", distinct=True),  # a case is in one municipality: these add up
        **{f"form:{value}": Count("pk", filter=Q(form=value)) for value in forms},
    }
    rows = _rows(
        scope,
        "visits",
        lambda s: _municipality_rows(
            s,
            lambda q: Visit.objects.filter(
                **_cases_of(q, "case", q.since),
                status=VisitStatus.HELD,
                scheduled_at__gte=q.bounds[0],
                scheduled_at__lt=q.bounds[1],
            ),
            "case__municipality_id",
            **aggregates,
        ),
    )
    row = dict(zip(aggregates, _column_sums(rows, len(aggregates)), strict=True))
    figure = Figure.counts(
        key="visits_by_form",
        title=_("Visits held, by form"),
        definition=_("Visits held in the period, by form: at home, by video call, by phone or elsewhere."),
        rivm=RIVM_PHB,
        row_header=_("Form"),
        rows=[label for _value, label in VisitForm.choices],
        columns=[pgettext("figures: visits of every form, not only at home", "Visits")],
        counts=[[row[f"form:{value}"]] for value in forms],
        chart="bars",
    )
    families = row["families"]
    mean = statistic(row["visits"] / families if families else None, families, decimals=1)
    if not mean.hidden and mean.number is not None:
        figure.notes.append(_("On average %(n)s visits per family visited in the period.") % {"n": mean.text})
    return figure


def domains(scope: Scope) -> Figure:
    names = _domain_names(scope)
    # Women (distinct cases) per domain: a case is in one municipality, so these add up over municipalities.
    signalled: Counter = Counter()
    for _municipality, domain_id, n in _rows(
        scope,
        "domains_signalled",
        lambda s: _municipality_rows(
            s,
            lambda q: Referral.domains.through.objects.filter(
                **_cases_of(q, "referral__case", q.since),
                referral__created_at__gte=q.bounds[0],
                referral__created_at__lt=q.bounds[1],
            ),
            "referral__case__municipality_id",
            ["vulnerabilitydomain_id"],
            n=Count("referral__case_id", distinct=True),
        ),
    ):
        signalled[domain_id] += n
    assessed: Counter = Counter()
    for _municipality, domain_id, n in _rows(
        scope,
        "domains_assessed",
        lambda s: _municipality_rows(
            s,
            lambda q: AssessmentDomain.objects.filter(**_cases_of(q, "assessment__case", q.bounds[0])),
            "assessment__case__municipality_id",
            ["domain_id"],
            n=Count("assessment__case_id", distinct=True),
        ),
    ):
        assessed[domain_id] += n
    return Figure.counts(
        key="domains",
        title=_("Vulnerability domains seen"),
        definition=_(
            "Women referred in the period, by the domains signalled in the referral, and by the domains the "
            "nurse described in the assessment. A woman can count in several domains, so there are no totals."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Domain"),
        rows=[name for _pk, name in names],
        columns=[_("Signalled at referral"), _("In the assessment")],
        counts=[[signalled.get(pk, 0), assessed.get(pk, 0)] for pk, _name in names],
        totals=False,
        chart="compare",
    )


# --- follow-up support ------------------------------------------------------------------------

_FOLLOW_GROUPS = [
    ("started", (FollowUpStatus.STARTED, FollowUpStatus.ENDED)),
    ("waiting", (FollowUpStatus.WAITING_LIST,)),
    ("open", (FollowUpStatus.PROPOSED, FollowUpStatus.SENT, FollowUpStatus.ACCEPTED)),
    ("declined", (FollowUpStatus.DECLINED_FAMILY, FollowUpStatus.DECLINED_PROVIDER)),
]


def _follow_group_labels():
    return [_("Started"), _("On a waiting list"), _("Not started yet"), _("Declined")]


def _follow_ups(scope: Scope):
    start, end = scope.bounds
    return FollowUp.objects.filter(**_cases_of(scope, "case", scope.since), created_at__gte=start, created_at__lt=end)


def _grouped(rows, key_index: int) -> dict:
    out: dict = defaultdict(lambda: [0] * len(_FOLLOW_GROUPS))
    for row in rows:
        status, n = row[-2], row[-1]
        for g, (_name, statuses) in enumerate(_FOLLOW_GROUPS):
            if status in statuses:
                out[row[key_index]][g] += n
    return out


def _follow_up_counts(scope: Scope) -> list[tuple[int, int | None, str, str, int]]:
    """[(municipality id, domain id, offer name, status, follow-ups)] of the period: by domain and by offer, in
    one query."""
    return _rows(
        scope,
        "follow_ups",
        lambda s: _municipality_rows(
            s, _follow_ups, "case__municipality_id", ["domain_id", "offer__name", "status"], n=Count("pk")
        ),
    )


def _follow_up_tables(scope: Scope) -> dict:
    """Follow-ups by domain and by offer, with their status, protected together (`suppression.protect_linked`):
    the same follow-ups, with the same totals per status, and an offer used for one domain only is a part of
    that domain's row."""

    def fetch():
        counts = _follow_up_counts(scope)
        names = _domain_names(scope)
        by_domain = _grouped(counts, 1)
        by_offer = _grouped(counts, 2)
        domain_keys = [pk for pk, _name in names] + ([None] if by_domain.get(None) else [])
        domain_labels = [name for _pk, name in names] + ([str(_("No domain given"))] if by_domain.get(None) else [])
        offers = sorted(by_offer, key=lambda name: (-sum(by_offer[name]), name))
        columns = [str(c) for c in _follow_group_labels()]
        edges = {(domain_id, offer) for _municipality, domain_id, offer, _status, n in counts if n}
        forced = _linked_keys(parts_hide("follow_ups_by_domain"), 0, domain_labels, columns) | _linked_keys(
            parts_hide("follow_ups_by_offer"), 1, offers, columns
        )
        domain_table, offer_table = protect_linked(
            [[by_domain.get(pk, [0] * len(_FOLLOW_GROUPS)) for pk in domain_keys], [by_offer[o] for o in offers]],
            _linked_groups(edges, domain_keys, offers),
            width=len(_FOLLOW_GROUPS),
            row_sums=True,
            force_hidden=forced,
        )
        return {"domains": (domain_labels, domain_table), "offers": (offers, offer_table)}

    return scope.shared("follow_up_tables", fetch)


def follow_ups_by_domain(scope: Scope) -> Figure:
    labels, table = _follow_up_tables(scope)["domains"]
    return Figure.protected(
        table,
        rows=labels,
        row_totals=True,
        key="follow_ups_by_domain",
        title=_("Follow-up referrals by domain and how far they got"),
        definition=_(
            "Follow-up referrals made in the period, by domain, and their status today: started (or already "
            "ended), on a waiting list, not started yet, or declined by the family or the provider."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Domain"),
        columns=_follow_group_labels(),
        chart="stacked",
    )


def follow_ups_by_offer(scope: Scope) -> Figure:
    labels, table = _follow_up_tables(scope)["offers"]
    return Figure.protected(
        table,
        rows=labels,
        row_totals=True,
        key="follow_ups_by_offer",
        title=_("Follow-up referrals by offer"),
        definition=_("Follow-up referrals made in the period, by offer of the social map, and their status today."),
        rivm=RIVM_CHAIN,
        row_header=_("Offer"),
        columns=_follow_group_labels(),
        chart=None,
    )


def follow_up_waiting(scope: Scope) -> Figure:
    """Days from sending a follow-up referral to the start of support, by domain."""
    names = dict(_domain_names(scope))
    # One row per start in the period, with its follow-up's domain and sending date (the last start counts).
    started: dict = {}
    for _municipality, follow_up_id, domain_id, days in _rows(
        scope,
        "follow_up_starts",
        lambda s: _municipality_rows(
            s,
            lambda q: (
                FollowUpEvent.objects.filter(
                    **_cases_of(q, "follow_up__case", q.since),
                    to_status=FollowUpStatus.STARTED,
                    at__gte=q.bounds[0],
                    at__lt=q.bounds[1],
                )
                .annotate(days=DaysBetween("at", "follow_up__sent_at"))
                .order_by("at")
            ),
            "follow_up__case__municipality_id",
            ["follow_up_id", "follow_up__domain_id", "days"],
        ),
    ):
        started[follow_up_id] = (domain_id, days)
    per_domain: dict = defaultdict(list)
    for domain_id, days in started.values():
        if days is not None and days >= 0:
            per_domain[domain_id].append(days)
    everyone = [d for values in per_domain.values() for d in values]
    ordered = [pk for pk in names if pk in per_domain] + ([None] if None in per_domain else [])
    rows = [names.get(pk) or _("No domain given") for pk in ordered] + [_("All domains")]
    # The numbers started add up to "All domains": they are protected as a list with its total, so that one
    # domain's small number cannot be worked out from the others.
    started_cells, started_total = protect_list([len(per_domain[pk]) for pk in ordered])
    cells = []
    for values, started_cell in zip(
        [*(per_domain[pk] for pk in ordered), everyone], [*started_cells, started_total], strict=True
    ):
        n = len(values)
        cells.append(
            [
                statistic(statistics.median(values) if values else None, n, decimals=0),
                statistic(percentile(values, 90), n, decimals=0),
                count_value(started_cell),
            ]
        )
    return Figure.statistics(
        key="follow_up_waiting",
        title=_("Waiting time for follow-up support"),
        unit=_("days"),
        definition=_(
            "Follow-up support that started in the period: the days from sending the follow-up referral to the "
            "provider until support really started. Median and 90th percentile; shown only over 5 or more."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Domain"),
        rows=rows,
        columns=[_("Median"), _("90th percentile"), _("Started")],
        cells=cells,
        chart="bars",
    )


def stagnating(scope: Scope) -> Figure:
    by = _counts_by(
        scope,
        "stagnating",
        lambda s: FollowUp.objects.filter(
            case__in=Case.objects.open().filter(municipality_id__in=s.ids).values("pk"),
            status__in=OPEN_STATUSES,
            status_changed_at__lt=s.stale_before,
        ),
        "case__municipality_id",
        "status",
    )
    labels = dict(FollowUpStatus.choices)
    return Figure.counts(
        key="stagnating",
        title=_("Stagnating follow-up referrals today"),
        definition=_(
            "Follow-up referrals, today, whose support has not started and whose status has not changed for "
            "%(days)s days or more (setting KANSRIJK_STAGNATION_DAYS), by where they are stuck. Not bound to the "
            "period: this is the situation now."
        )
        % {"days": settings.KANSRIJK_STAGNATION_DAYS},
        rivm=RIVM_CHAIN,
        row_header=_("Stuck at"),
        rows=[labels[s] for s in OPEN_STATUSES],
        columns=[_("Follow-up referrals")],
        counts=[[by.get(s, 0)] for s in OPEN_STATUSES],
        chart="bars",
    )


def _gap_counts(scope: Scope, by: str) -> Counter:
    """{domain id or reason (`by`: "domain_id" or "reason"): gaps recorded in the period}; both from one query."""
    rows = _rows(
        scope,
        "gaps",
        lambda s: _municipality_rows(
            s,
            lambda q: Gap.objects.filter(
                municipality_id__in=q.ids, created_at__gte=q.bounds[0], created_at__lt=q.bounds[1]
            ),
            "municipality_id",
            ["domain_id", "reason"],
            n=Count("pk"),
        ),
    )
    counts: Counter = Counter()
    for _municipality, domain_id, reason, n in rows:
        counts[domain_id if by == "domain_id" else reason] += n
    return counts


def gaps_by_domain(scope: Scope) -> Figure:
    names = _domain_names(scope)
    by = _gap_counts(scope, "domain_id")
    return Figure.counts(
        key="gaps_by_domain",
        title=_("Gaps: needs with no fitting offer, by domain"),
        definition=_(
            "Needs recorded in the period for which no fitting offer existed on the social map, by domain. "
            "For the municipality's purchasing: where support is missing."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Domain"),
        rows=[name for _pk, name in names],
        columns=[_("Gaps")],
        counts=[[by.get(pk, 0)] for pk, _name in names],
        chart="bars",
    )


def gaps_by_reason(scope: Scope) -> Figure:
    by = _gap_counts(scope, "reason")
    return Figure.counts(
        key="gaps_by_reason",
        title=_("Gaps: why nothing fitted"),
        definition=_(
            "The same gaps, by why nothing fitted: no such offer, waiting list too long, not reachable for the "
            "family, not in the family's language, costs too high, or another reason."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Reason"),
        rows=[label for _value, label in GapReason.choices],
        columns=[_("Gaps")],
        counts=[[by.get(value, 0)] for value, _label in GapReason.choices],
        chart="bars",
    )


def feedback_sent(scope: Scope) -> Figure:
    by = _counts_by(
        scope,
        "feedback",
        lambda s: Feedback.objects.filter(
            **_cases_of(s, "case", s.since),
            status=FeedbackStatus.SENT,
            sent_at__gte=s.bounds[0],
            sent_at__lt=s.bounds[1],
        ),
        "case__municipality_id",
        "moment",
    )
    return Figure.counts(
        key="feedback_sent",
        title=_("Feedback sent to referrers"),
        definition=_(
            "Messages sent to the referring professional in the period, within the consent the woman gave, by "
            "moment: first contact, home visit held, declined or unreachable, follow-up in place, case closed."
        ),
        rivm=RIVM_CHAIN,
        row_header=_("Moment"),
        rows=[label for _value, label in Moment.choices],
        columns=[_("Messages")],
        counts=[[by.get(value, 0)] for value, _label in Moment.choices],
        chart="bars",
    )


#: The dashboard of one municipality (or several together), in reading order.
DASHBOARD = [
    funnel,
    trend,
    reach,
    referrals_by_source,
    referrals_by_organisation,
    weeks_at_referral,
    lead_times,
    acceptance,
    outcomes,
    visits_by_form,
    domains,
    follow_ups_by_domain,
    follow_ups_by_offer,
    follow_up_waiting,
    stagnating,
    gaps_by_domain,
    gaps_by_reason,
    feedback_sent,
]


def dashboard_figures(scope: Scope) -> list[Figure]:
    """The dashboard's figures, kept for the same rows of its queries (kept_figures.py, decision 37)."""
    return kept_figures.figures(scope, DASHBOARD, lambda: _dashboard_figures(scope))


def _dashboard_figures(scope: Scope) -> list[Figure]:
    if len(scope.municipalities) < 2:
        return [build(scope) for build in DASHBOARD]
    # Several municipalities: each one's figures first, as her own dashboard shows them; their sum then hides
    # whatever any of them hides (suppression.sum_of_parts), so that no count is the sum minus the others.
    with sum_of_parts(_parts_hidden(scope, DASHBOARD)):
        return [build(scope) for build in DASHBOARD]


def _part(scope: Scope, municipality) -> Scope:
    """One municipality of a scope, for the same period: its figures take their rows out of the scope's queries
    (`_rows`), and it is kept on the scope, so that it is made once however many figures of the sum ask for it."""
    return scope.shared(("part", municipality.pk), lambda: Scope((municipality,), scope.period, parent=scope))


def _parts_hidden(scope: Scope, builders, keep=()) -> dict:
    """{figure key: label keys hidden in any single municipality's figure} for these builders.

    The first municipality's figures are built every time: they make the sum read its rows, which hold every
    municipality's. The others' hidden cells are kept for the same rows (kept_parts.py, decision 32), and so are
    their figures of the builders in `keep` (a page that shows them, such as the region's sources per
    municipality: `_her_own` then finds them on the scope)."""
    assert set(keep) <= set(builders), "only figures that are built here can be kept"
    first, *others = scope.municipalities
    hidden = _hidden_in(scope, [first], builders)
    if not others:
        return hidden
    if not kept_parts.enabled():
        return _merged(hidden, _hidden_in(scope, others, builders))
    entry_key = kept_parts.key([*builders, kept_parts.KEEP, *keep], scope.municipalities, scope.period)
    rows = kept_parts.rows_read(scope._fetched)
    kept = kept_parts.get(entry_key, rows)
    if kept is not None:
        kept_hidden, kept_figures = kept
        for (build, pk), figure in kept_figures.items():
            scope.shared(_own_key(build, pk), lambda figure=figure: figure)
        return _merged(hidden, kept_hidden)
    fetched_before = set(scope._fetched)
    with kept_parts.QueryCounter() as queries:
        theirs = _hidden_in(scope, others, builders)
    if queries.count == 0 and set(scope._fetched) == fetched_before:
        figures = {(build, m.pk): _her_own(build, scope, m) for build in keep for m in others}
        kept_parts.put(entry_key, rows, theirs, figures)
    return _merged(hidden, theirs)


def _own_key(build, pk: int) -> tuple:
    return ("her own", build, pk)


def _her_own(build, scope: Scope, municipality) -> Figure:
    """One municipality's figure of a sum, as her own dashboard shows it: protected on her own, never as a part
    of a sum being built around the call (so that what is kept of it depends on her rows only, kept_parts.py).
    Built once per scope; the figure is shared (and, kept, shared between requests): it is read, never changed."""

    def build_her_own():
        with sum_of_parts({}):
            return build(_part(scope, municipality))

    return scope.shared(_own_key(build, municipality.pk), build_her_own)


def _hidden_in(scope: Scope, municipalities, builders) -> dict:
    """What these municipalities' own figures hide."""
    hidden: dict = defaultdict(set)
    for municipality in municipalities:
        for build in builders:
            figure = _her_own(build, scope, municipality)
            hidden[figure.key] |= figure.hidden_labels()
    return hidden


def _merged(hidden: dict, more: dict) -> dict:
    for key, labels in more.items():
        hidden[key] |= labels
    return hidden


#: The dashboard's and the yearly report's sections: (heading, figure keys), in reading order.
SECTIONS = [
    (gettext_lazy("At a glance"), ["funnel", "trend", "reach"]),
    (gettext_lazy("Referrals"), ["referrals_by_source", "referrals_by_organisation", "weeks_at_referral"]),
    (gettext_lazy("Lead times"), ["lead_times"]),
    (gettext_lazy("Visits and outcomes"), ["acceptance", "outcomes", "visits_by_form", "domains"]),
    (
        gettext_lazy("Follow-up support and gaps"),
        [
            "follow_ups_by_domain",
            "follow_ups_by_offer",
            "follow_up_waiting",
            "stagnating",
            "gaps_by_domain",
            "gaps_by_reason",
        ],
    ),
    (gettext_lazy("Feedback to referrers"), ["feedback_sent"]),
]


def sections(figures: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """The figures under their section headings; a section without figures is left out."""
    by_key = {f.key: f for f in figures}
    grouped = [(str(title), [by_key[k] for k in keys if k in by_key]) for title, keys in SECTIONS]
    return [(title, shown) for title, shown in grouped if shown]


# --- the region: municipalities side by side ------------------------------------------------------


def _region_cohort(scope: Scope) -> dict:
    """Per municipality: women referred in the period, how many had a home visit, and the lead time to it: the
    side-by-side counts and lead times from one query."""

    def fetch():
        norm = settings.KANSRIJK_NORM_VISIT_DAYS
        aggregates = {
            "referred": Count("pk"),
            "visited": Count("pk", filter=Q(first_visit_at__isnull=False)),
            **_lead_time("days_to_visit", DaysBetween("first_visit_at", "received_at"), norm),
        }
        rows = _municipality_rows(scope, _cohort, "municipality_id", **aggregates)
        return {row[0]: dict(zip(aggregates, row[1:], strict=True)) for row in rows}

    return scope.shared("region_cohort", fetch)


def region_overview(scope: Scope) -> Figure:
    cohort = _region_cohort(scope)
    started = dict(
        _municipality_rows(
            scope,
            lambda q: FollowUp.objects.filter(
                **_cases_of(q, "case", q.bounds[0]), status__in=[FollowUpStatus.STARTED, FollowUpStatus.ENDED]
            ),
            "case__municipality_id",
            n=Count("case_id", distinct=True),
        )
    )
    counts = [
        [cohort.get(m.pk, {}).get("referred", 0), cohort.get(m.pk, {}).get("visited", 0), started.get(m.pk, 0)]
        for m in scope.municipalities
    ]
    # Each row as that municipality's funnel shows these steps, the totals as the funnel of their sum does.
    table = protect_side_by_side(counts, width=3)
    return Figure(
        key="region_overview",
        title=_("Municipalities side by side"),
        definition=_(
            "Per municipality: women referred in the period, how many of them had a home visit, and how many "
            "have follow-up support that started."
        ),
        rivm=RIVM_PHB,
        row_header=_("Municipality"),
        rows=[m.name for m in scope.municipalities],
        columns=[_("Referred"), _("Home visit held"), _("Follow-up support started")],
        cells=[[count_value(c) for c in row] for row in table.rows],
        column_totals=[count_value(c) for c in table.column_totals],
        chart="compare",
    )


def region_sources(scope: Scope) -> Figure:
    """Each municipality's row is her own "by source" list, as her dashboard shows it; the totals are the list of
    their sum (built inside `sum_of_parts` by region_figures), so the table agrees with both."""
    parts = [_her_own(referrals_by_source, scope, m) for m in scope.municipalities]
    together = referrals_by_source(scope)
    return Figure(
        key="region_sources",
        title=_("Referrals by source, per municipality"),
        definition=_("Referrals received in the period, per municipality and by who referred."),
        rivm=RIVM_CHAIN,
        row_header=_("Municipality"),
        rows=[m.name for m in scope.municipalities],
        columns=together.rows,
        cells=[[row[0] for row in part.cells] for part in parts],
        row_totals=[part.column_totals[0] for part in parts],
        column_totals=[row[0] for row in together.cells],
        total=together.column_totals[0],
        chart="stacked",
    )


def region_lead_times(scope: Scope) -> Figure:
    cohort = _region_cohort(scope)
    norm = settings.KANSRIJK_NORM_VISIT_DAYS
    empty = {"days_to_visit:n": 0, "days_to_visit:within": 0, "days_to_visit:median": None, "days_to_visit:p90": None}
    cells = [_lead_time_cells(cohort.get(m.pk, empty), "days_to_visit") for m in scope.municipalities]
    return Figure.statistics(
        key="region_lead_times",
        title=_("Days from referral to first home visit, per municipality"),
        unit=_("days"),
        definition=_(
            "For women referred in the period who had a home visit: median and 90th percentile of the days from "
            "receiving the referral to the first home visit, and the share within the norm of %(norm)s days."
        )
        % {"norm": norm},
        rivm=RIVM_PHB,
        row_header=_("Municipality"),
        rows=[m.name for m in scope.municipalities],
        columns=[_("Median"), _("90th percentile"), _("Within norm")],
        cells=cells,
        chart="bars",
    )


def region_trend(scope: Scope) -> Figure:
    figure = trend(scope)
    figure.key = "region_trend"
    figure.title = _("Referrals and first home visits over time, whole region")
    return figure


REGION = [region_overview, reach, region_lead_times, region_sources, region_trend]


def region_figures(scope: Scope) -> list[Figure]:
    """The region page's figures, kept for the same rows of its queries (kept_figures.py, decision 37)."""
    return kept_figures.figures(scope, REGION, lambda: _region_figures(scope))


def _region_figures(scope: Scope) -> list[Figure]:
    if len(scope.municipalities) < 2:
        return [build(scope) for build in REGION]
    # The side-by-side counts protect their rows and totals themselves; the sources per municipality and the
    # region's trend are built from each municipality's figures and their sum, which hides what any of them hides.
    # (region_trend builds `trend` and renames it afterwards: the parts' cells are found under "trend".)
    # The sources per municipality show each one's own list: those are kept with the hidden cells.
    builders = [trend, referrals_by_source, referrals_by_organisation]
    with sum_of_parts(_parts_hidden(scope, builders, keep=[referrals_by_source])):
        return [build(scope) for build in REGION]


def all_figure_builders() -> dict:
    """Every figure by key (for exports)."""
    out = {}
    for build in [*DASHBOARD, *REGION]:
        out[build.__name__] = build
    return out
