"""The capacity and budget planner: per municipality and year, assumptions → referrals, hours, FTE and budget,
against the circulars' amounts and the figures so far. Officers plan for their municipalities, region
coordinators for the region's; no one else sees these pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access

from . import planner
from .forms_planning import CapacityPlanForm
from .models_births import LiveBirths
from .models_planner import CapacityPlan
from .planner_actuals import actuals, comparison


def _scope(request) -> dict:
    scope = access.monitoring_scope(request.user)
    access.require(bool(scope), "capacity planner")
    return scope


def _municipality(request, code: str):
    match = next((m for m in _scope(request).values() if m.cbs_code == code.upper()), None)
    if match is None:
        raise access.AccessDenied("capacity planner (municipality)")
    return match


def _year(text) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(text)
    except (TypeError, ValueError):
        return this_year
    return year if this_year - 10 <= year <= this_year + 5 else this_year


@login_required
def planner_list(request):
    scope = _scope(request)
    year = _year(request.GET.get("jaar"))
    plans = {p.municipality_id: p for p in CapacityPlan.objects.filter(municipality_id__in=scope, year=year)}
    rows = []
    for municipality in scope.values():
        plan = plans.get(municipality.pk)
        rows.append((municipality, plan, planner.compute(plan.as_input()) if plan else None))
    this_year = timezone.localdate().year
    return render(
        request,
        "monitoring/planning/list.html",
        {"rows": rows, "year": year, "years": list(range(this_year - 2, this_year + 3))},
    )


@login_required
def plan_detail(request, code: str, year: int):
    municipality = _municipality(request, code)
    if _year(year) != year:  # out of the planner's range: this year's plan, at its own address
        return redirect("monitoring:plan", municipality.cbs_code, _year(year))
    plan = CapacityPlan.objects.filter(municipality=municipality, year=year).select_related("updated_by").first()
    result = planner.compute(plan.as_input()) if plan else None
    figure = comparison(result, actuals(municipality, year))
    if request.GET.get("export") == figure.key:
        from .exports import csv_response

        return csv_response(figure, f"kansrijk-plan-{municipality.cbs_code}-{year}.csv")
    return render(
        request,
        "monitoring/planning/detail.html",
        {
            "municipality": municipality,
            "year": year,
            "plan": plan,
            "result": result,
            "comparison": figure,
        },
    )


def _initial(municipality, year: int) -> dict:
    """A new plan starts from last year's plan, else from sensible defaults and the last known births."""
    previous = CapacityPlan.objects.filter(municipality=municipality, year__lt=year).order_by("-year").first()
    births = LiveBirths.objects.filter(municipality=municipality, year__lte=year).order_by("-year").first()
    initial = {
        "share_vulnerable_pct": "12",
        "acceptance_pct": "75",
        "visits_per_family": "3",
        "hours_per_visit": "2,5",
        "hours_per_fte": "1300",
        "hourly_rate": "95",
        "budget_may": "0",
        "budget_december": "0",
    }
    if previous:
        initial.update({f: getattr(previous, f) for f in CapacityPlanForm.Meta.fields if f != "notes"})
    if births:
        initial["expected_births"] = births.count
    return initial


@login_required
def plan_edit(request, code: str, year: int):
    municipality = _municipality(request, code)
    if _year(year) != year:
        raise Http404
    plan = CapacityPlan.objects.filter(municipality=municipality, year=year).first()
    births = LiveBirths.objects.filter(municipality=municipality, year__lte=year).order_by("-year").first()
    detail = reverse("monitoring:plan", args=[municipality.cbs_code, year])
    if request.method == "POST":
        form = CapacityPlanForm(request.POST, instance=plan or CapacityPlan(municipality=municipality, year=year))
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in CapacityPlanForm.Meta.fields}
            try:
                planner.validate(planner.PlanInput(**{k: v for k, v in values.items() if k != "notes"}))
                if plan is None:
                    with transaction.atomic():
                        CapacityPlan.objects.create(
                            municipality=municipality, year=year, updated_by=request.user, **values
                        )
                else:
                    planner.save_plan(plan, version=form.cleaned_data.get("version") or 0, user=request.user, **values)
            except planner.StaleVersion as error:
                form.add_error(None, str(error))
            except IntegrityError:
                # A double submit, or a colleague made the plan first: nothing is overwritten.
                messages.warning(
                    request, _("A plan for this year already exists; here it is. Nothing was overwritten.")
                )
                return redirect(detail)
            except planner.ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("The plan is saved."))
                return redirect(detail)
    else:
        form = CapacityPlanForm(
            instance=plan,
            initial={"version": plan.version} if plan else _initial(municipality, year),
        )
    return render(
        request,
        "monitoring/planning/form.html",
        {"form": form, "municipality": municipality, "year": year, "plan": plan, "births": births},
    )
