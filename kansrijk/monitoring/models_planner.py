from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality

from .planner import PlanInput

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
POSITIVE = [MinValueValidator(Decimal("0.01"))]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]

__all__ = ["CapacityPlan"]


class CapacityPlan(models.Model):
    """One municipality's capacity and budget assumptions for one year. Arithmetic: planner.compute."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="capacity_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    expected_births = models.PositiveIntegerField(_("expected live births"))
    share_vulnerable_pct = models.DecimalField(
        _("share vulnerable (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    acceptance_pct = models.DecimalField(
        _("expected acceptance (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    visits_per_family = models.DecimalField(_("visits per family"), max_digits=5, decimal_places=2, validators=POSITIVE)
    hours_per_visit = models.DecimalField(
        _("hours per visit"),
        max_digits=5,
        decimal_places=2,
        validators=POSITIVE,
        help_text=_("Including travel and registration."),
    )
    hours_per_fte = models.DecimalField(
        _("nurse hours per FTE per year"), max_digits=7, decimal_places=2, validators=POSITIVE
    )
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=8, decimal_places=2, validators=POSITIVE)
    budget_may = models.DecimalField(
        _("budget, May circular"), max_digits=12, decimal_places=2, default=0, validators=NOT_NEGATIVE
    )
    budget_december = models.DecimalField(
        _("budget, December circular"), max_digits=12, decimal_places=2, default=0, validators=NOT_NEGATIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("capacity plan")
        verbose_name_plural = _("capacity plans")
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="capacity_plan_unique_year")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    def as_input(self) -> PlanInput:
        return PlanInput(
            expected_births=self.expected_births,
            share_vulnerable_pct=self.share_vulnerable_pct,
            acceptance_pct=self.acceptance_pct,
            visits_per_family=self.visits_per_family,
            hours_per_visit=self.hours_per_visit,
            hours_per_fte=self.hours_per_fte,
            hourly_rate=self.hourly_rate,
            budget_may=self.budget_may,
            budget_december=self.budget_december,
        )
