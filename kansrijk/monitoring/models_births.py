from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality


class LiveBirths(models.Model):
    """Live births in a municipality in a year (CBS StatLine), the denominator of "reach"."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="live_births")
    year = models.PositiveSmallIntegerField(_("year"))
    count = models.PositiveIntegerField(_("live births"))
    source = models.CharField(_("source"), max_length=300, help_text=_("For example: CBS StatLine table 37259ned."))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("live births")
        verbose_name_plural = _("live births")
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="live_births_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.count}"
