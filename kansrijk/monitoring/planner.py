"""Capacity and budget arithmetic of the planner (pure; Decimal throughout).

expected referrals = births × share vulnerable %
accepted families  = referrals × acceptance %
visits             = families × visits per family
hours              = visits × hours per visit (incl. travel and registration)
FTE                = hours ÷ nurse hours per FTE per year
cost               = hours × hourly rate
balance            = budget (May + December circular amounts) − cost
Counts are rounded up to whole referrals/families/visits (ceiling: plan for the last family); hours, FTE and money
are rounded to 2 decimals (half up).
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlanInput:
    expected_births: int
    share_vulnerable_pct: Decimal
    acceptance_pct: Decimal
    visits_per_family: Decimal
    hours_per_visit: Decimal
    hours_per_fte: Decimal
    hourly_rate: Decimal
    budget_may: Decimal = Decimal(0)
    budget_december: Decimal = Decimal(0)


@dataclass(frozen=True)
class PlanResult:
    referrals: int
    families: int
    visits: int
    hours: Decimal
    fte: Decimal
    cost: Decimal
    budget: Decimal
    balance: Decimal


def validate(plan: PlanInput) -> None:
    errors = {}
    if plan.expected_births < 0:
        errors["expected_births"] = _("Enter zero or a positive number.")
    for name in ("share_vulnerable_pct", "acceptance_pct"):
        if not Decimal(0) <= getattr(plan, name) <= HUNDRED:
            errors[name] = _("Enter a percentage from 0 to 100.")
    for name in ("visits_per_family", "hours_per_visit", "hours_per_fte", "hourly_rate"):
        if getattr(plan, name) <= 0:
            errors[name] = _("Enter a number greater than zero.")
    for name in ("budget_may", "budget_december"):
        if getattr(plan, name) < 0:
            errors[name] = _("Enter zero or a positive amount.")
    if errors:
        raise ValidationError(errors)


def _up(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def compute(plan: PlanInput) -> PlanResult:
    validate(plan)
    referrals = _up(Decimal(plan.expected_births) * plan.share_vulnerable_pct / HUNDRED)
    families = _up(referrals * plan.acceptance_pct / HUNDRED)
    visits = _up(families * plan.visits_per_family)
    hours = visits * plan.hours_per_visit
    budget = plan.budget_may + plan.budget_december
    cost = (hours * plan.hourly_rate).quantize(CENT, ROUND_HALF_UP)
    return PlanResult(
        referrals=referrals,
        families=families,
        visits=visits,
        hours=hours.quantize(CENT, ROUND_HALF_UP),
        fte=(hours / plan.hours_per_fte).quantize(CENT, ROUND_HALF_UP),
        cost=cost,
        budget=budget,
        balance=budget - cost,
    )


def default_births(municipality, year: int) -> int | None:
    """Births of the last known year up to `year` (LiveBirths), or None."""
    from .models_births import LiveBirths

    row = LiveBirths.objects.filter(municipality=municipality, year__lte=year).order_by("-year").first()
    return row.count if row else None


class StaleVersion(Exception):
    """Someone else saved the plan after it was opened."""


def save_plan(plan, *, version: int, user, **values):
    """Update a CapacityPlan only if it is still at `version` (conditional UPDATE); validates first."""
    from .models_planner import CapacityPlan

    for name, value in values.items():
        setattr(plan, name, value)
    plan.full_clean(exclude=["updated_by", "version"])
    validate(plan.as_input())
    updated = CapacityPlan.objects.filter(pk=plan.pk, version=version).update(
        **values, updated_by=user, updated_at=timezone.now(), version=version + 1
    )
    if not updated:
        raise StaleVersion(_("This plan was changed by someone else. Reload it and make your change again."))
    plan.refresh_from_db()
    return plan
