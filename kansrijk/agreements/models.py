"""Agreements made in local multidisciplinary meetings, and what came of them at each review."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality, Organisation, Region


class Topic(models.TextChoices):
    SIGNALLING = "signalling", _("Signalling")
    REFERRAL = "referral", _("Referral")
    DATA_SHARING = "data_sharing", _("Data sharing")
    FEEDBACK = "feedback", _("Feedback to referrers")
    FOLLOW_UP = "follow_up", _("Follow-up support")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Agreement(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agreements")
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="agreements",
        verbose_name=_("municipalities"),
        help_text=_("Leave empty when the agreement holds for the whole region."),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what was agreed"), max_length=4000)
    parties = models.ManyToManyField(Organisation, blank=True, related_name="agreements", verbose_name=_("parties"))
    other_parties = models.CharField(
        _("other parties"), max_length=300, blank=True, help_text=_("Parties that do not use Kansrijk.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_owned",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(
        _("owner (name)"), max_length=150, blank=True, help_text=_("When the owner does not use Kansrijk.")
    )
    meeting = models.CharField(_("meeting"), max_length=200, help_text=_("For example: local MDO Maastricht."))
    agreed_on = models.DateField(_("agreed on"))
    next_review_on = models.DateField(_("next review"))
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    reminded_for_review_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["next_review_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gte=F("agreed_on")), name="agreement_review_after_agreed"
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "next_review_on"], name="agreement_review")]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        return self.owner.display_name if self.owner else self.owner_name


class Evaluation(models.Model):
    """What the partners found at a review; the agreement's next review moves on. Nothing is erased."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="evaluations")
    on = models.DateField(_("reviewed on"))
    notes = models.TextField(_("what we found"), max_length=4000)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("evaluation of an agreement")
        verbose_name_plural = _("evaluations of agreements")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.on}"
