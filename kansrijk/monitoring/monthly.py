"""The monthly summary of cases (MonthlyCases): kept correct on every change, checked, rebuilt.

Per municipality and calendar month (Dutch time) the summary holds the cases referred (`received_at`) and the
first home visits (`first_visit_at`). The trend charts and reach add months up instead of counting years of
cases, so a dashboard costs the same with twenty years of history as with one (docs/benchmarks.md).

How it stays correct:

- A case created or saved (the referral service, factories, the admin): `post_save` on Case, with the values
  before the save read in `pre_save` (only for an existing case: one query, and nothing in the application
  saves an existing case; its changes go through guarded updates).
- A case deleted (the application never does; the admin might): `post_delete`.
- A guarded update (`cases.services._save_guarded`: the status steps, among them the first home visit):
  the `case_updated` signal, sent in the same transaction.
- Each change moves the case's contribution: minus one where it was counted, plus one where it is counted
  now, with `UPDATE … SET n = n + 1` under the row's lock, so two referrals at once both count.
- Loaders that write cases in bulk (the demo history, the synthetic country) call `rebuild()` afterwards.
- `manage.py monthly_figures --check` compares the summary with a count of the cases (CI runs it on the demo
  region through the tests); `--rebuild` makes it again from the cases.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone


def month_of(moment) -> date:
    """The first day of the month of `moment`, in Dutch time (the default time zone, whatever is active)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def contributions(municipality_id, received_at, first_visit_at) -> Counter:
    """{(municipality id, month, measure): 1} for one case."""
    out: Counter = Counter()
    if municipality_id is None:
        return out
    if received_at is not None:
        out[(municipality_id, month_of(received_at), "referred")] += 1
    if first_visit_at is not None:
        out[(municipality_id, month_of(first_visit_at), "first_visits")] += 1
    return out


def case_values(case) -> tuple:
    return case.municipality_id, case.received_at, case.first_visit_at


def move(before: tuple | None, after: tuple | None) -> None:
    """Move a case's contribution from `before` to `after` (each `case_values`, or None: no case)."""
    delta = Counter(contributions(*after) if after else {})
    delta.subtract(contributions(*before) if before else {})
    by_row: dict = defaultdict(dict)
    for (municipality_id, month, measure), n in delta.items():
        if n:
            by_row[(municipality_id, month)][measure] = n
    if not by_row:
        return
    from .models_monthly import MonthlyCases

    with transaction.atomic():
        for (municipality_id, month), changes in sorted(by_row.items()):
            row, _created = MonthlyCases.objects.get_or_create(municipality_id=municipality_id, month=month)
            MonthlyCases.objects.filter(pk=row.pk).update(**{measure: F(measure) + n for measure, n in changes.items()})


# --- signal receivers (connected in apps.py) ------------------------------------------------------------


def before_case_save(sender, instance, raw=False, **kwargs) -> None:
    instance._monthly_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("municipality_id", "received_at", "first_visit_at")
    instance._monthly_before = old.first()


def after_case_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    move(None if created else getattr(instance, "_monthly_before", None), case_values(instance))


def after_case_delete(sender, instance, **kwargs) -> None:
    move(case_values(instance), None)


def after_case_update(sender, case, old, **kwargs) -> None:
    if not {"municipality", "municipality_id", "received_at", "first_visit_at"} & set(old):
        return
    if "municipality" in old:
        municipality_id = old["municipality"].pk if old["municipality"] is not None else None
    else:
        municipality_id = old.get("municipality_id", case.municipality_id)
    before = (
        municipality_id,
        old.get("received_at", case.received_at),
        old.get("first_visit_at", case.first_visit_at),
    )
    move(before, case_values(case))


# --- counting from the cases ----------------------------------------------------------------------------


def live_counts(municipality_ids=None, *, case_model=None, span=None) -> dict:
    """{(municipality id, month): [referred, first visits]} counted from the cases, in two GROUP BY queries;
    `span`: only the months of [first, end) (dates, first days of months), as `months()` reads them from the
    summary."""
    if case_model is None:
        from kansrijk.cases.models import Case as case_model
    tz = timezone.get_default_timezone()
    cases = case_model.objects.filter(municipality__isnull=False)
    if municipality_ids is not None:
        cases = cases.filter(municipality_id__in=municipality_ids)
    bounds = [datetime.combine(day, time.min, tz) for day in span] if span else None
    out: dict = defaultdict(lambda: [0, 0])
    for k, field in enumerate(["received_at", "first_visit_at"]):
        within = {f"{field}__gte": bounds[0], f"{field}__lt": bounds[1]} if bounds else {}
        rows = (
            cases.filter(**{f"{field}__isnull": False}, **within)
            .annotate(m=TruncMonth(field, tzinfo=tz))
            .values_list("municipality_id", "m")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for municipality_id, month, n in rows:
            day = timezone.localtime(month, tz).date() if hasattr(month, "hour") else month
            out[(municipality_id, day.replace(day=1))][k] += n
    return out


def rebuild(municipality_ids=None, *, case_model=None, table=None) -> int:
    """Make the summary again from the cases (of `municipality_ids`, or all). Returns the rows written.
    `case_model` and `table` are for the data migration (historical models)."""
    if table is None:
        from .models_monthly import MonthlyCases as table
    counts = live_counts(municipality_ids, case_model=case_model)
    with transaction.atomic():
        old = table.objects.all()
        if municipality_ids is not None:
            old = old.filter(municipality_id__in=municipality_ids)
        old.delete()
        table.objects.bulk_create(
            [
                table(municipality_id=municipality_id, month=month, referred=n[0], first_visits=n[1])
                for (municipality_id, month), n in sorted(counts.items())
            ],
            batch_size=5000,
        )
    return len(counts)


def differences(municipality_ids=None) -> list[tuple]:
    """Where the summary and the cases disagree: [(municipality id, month, (summary), (cases))]."""
    from .models_monthly import MonthlyCases

    live = live_counts(municipality_ids)
    rows = MonthlyCases.objects.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    kept = {
        (m, month): (r, v)
        for m, month, r, v in rows.values_list("municipality_id", "month", "referred", "first_visits")
    }
    out = []
    for key in sorted(set(live) | set(kept)):
        have = kept.get(key, (0, 0))
        want = tuple(live.get(key, (0, 0)))
        if have != want:
            out.append((*key, have, want))
    return out


# --- reading -------------------------------------------------------------------------------------------


def months(municipality_ids, first: date, end: date):
    """The summary's rows of these municipalities for the months in [first, end) (a queryset, to group and add up:
    indicators.trend per month, indicators.reach per municipality)."""
    from .models_monthly import MonthlyCases

    return MonthlyCases.objects.filter(municipality_id__in=municipality_ids, month__gte=first, month__lt=end)
