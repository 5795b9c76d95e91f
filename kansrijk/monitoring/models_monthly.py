from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality


class MonthlyCases(models.Model):
    """Cases of a municipality per calendar month (Dutch time): how many were referred (by `received_at`) and
    how many had their first home visit (by `first_visit_at`).

    A summary, not a source: kept correct in the same transaction as every change of those dates (monthly.py),
    checked and rebuilt by `manage.py monthly_figures`. The trend charts and reach read it, so that five years
    of trend cost the same whatever the history behind them (docs/benchmarks.md)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    referred = models.IntegerField(_("referred"), default=0)
    first_visits = models.IntegerField(_("first home visits"), default=0)

    class Meta:
        verbose_name = _("cases per month")
        verbose_name_plural = _("cases per month")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="monthly_cases_unique_month"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.month:%Y-%m}: {self.referred} / {self.first_visits}"
