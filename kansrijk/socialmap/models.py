"""The social map (sociale kaart): offers of support a nurse can refer a family to."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.clients.models import Language
from kansrijk.organisations.models import Municipality, Organisation, Region
from kansrijk.referrals.models import VulnerabilityDomain


class Costs(models.TextChoices):
    FREE = "free", _("Free for the family")
    INSURED = "insured", _("Covered by health insurance")
    CONTRIBUTION = "contribution", _("Own contribution")
    PAID = "paid", _("Paid by the family")


class Phase(models.TextChoices):
    """When in the first 1,000 days an offer can start (`Offer.for_pregnancy`, `Offer.for_after_birth`)."""

    PREGNANCY = "pregnancy", _("During pregnancy")
    AFTER_BIRTH = "after_birth", _("After birth")


def check_due_before(today: date | None = None) -> date:
    """An offer last checked before this day is due for a check (`KANSRIJK_OFFER_CHECK_DAYS`)."""
    return (today or timezone.localdate()) - timedelta(days=settings.KANSRIJK_OFFER_CHECK_DAYS)


class Offer(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(_("name"), max_length=200)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="offers",
        null=True,
        blank=True,
        verbose_name=_("provider organisation"),
        help_text=_("When the provider uses Kansrijk, its users receive the follow-up referrals."),
    )
    provider_name = models.CharField(_("provider"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    domains = models.ManyToManyField(VulnerabilityDomain, related_name="offers", verbose_name=_("domains"))
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    for_pregnancy = models.BooleanField(_("during pregnancy"), default=True)
    for_after_birth = models.BooleanField(_("after birth"), default=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="offers", verbose_name=_("municipalities served")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. nl, en, ar.")
    )
    costs = models.CharField(_("costs for the family"), max_length=20, choices=Costs.choices, default=Costs.FREE)
    costs_note = models.CharField(_("about the costs"), max_length=300, blank=True)
    how_to_refer = models.TextField(_("how to refer"), max_length=2000, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    typical_wait_weeks = models.PositiveSmallIntegerField(_("typical waiting time (weeks)"), null=True, blank=True)
    recognised_intervention = models.BooleanField(
        _("recognised intervention"),
        default=False,
        help_text=_("Listed in the Dutch database of effective youth interventions."),
    )
    last_checked_at = models.DateField(_("last checked on"), null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    maintainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maintained_offers",
        verbose_name=_("maintainer"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "provider_name"], name="offer_unique_in_region"),
            models.CheckConstraint(condition=Q(for_pregnancy=True) | Q(for_after_birth=True), name="offer_has_phase"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("socialmap:detail", args=[self.pk])

    @property
    def needs_check(self) -> bool:
        """Never checked, or not for `KANSRIJK_OFFER_CHECK_DAYS`: flagged for its maintainer."""
        return self.last_checked_at is None or self.last_checked_at < check_due_before()

    @property
    def phases(self) -> list[str]:
        return [p for p, on in ((Phase.PREGNANCY, self.for_pregnancy), (Phase.AFTER_BIRTH, self.for_after_birth)) if on]

    @property
    def phase_labels(self) -> list[str]:
        return [str(Phase(p).label) for p in self.phases]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]
