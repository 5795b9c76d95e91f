"""Follow-up referrals to offers on the social map, tracked until support has really started; and gaps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.cases.models import Case
from kansrijk.organisations.models import Municipality
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer


class FollowUpStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    WAITING_LIST = "waiting_list", _("On a waiting list")
    STARTED = "started", _("Started")
    ENDED = "ended", _("Ended")
    DECLINED_FAMILY = "declined_family", _("Declined by the family")
    DECLINED_PROVIDER = "declined_provider", _("Declined by the provider")


#: A follow-up in one of these statuses is still on its way to support that has really started.
OPEN_STATUSES = (
    FollowUpStatus.PROPOSED,
    FollowUpStatus.SENT,
    FollowUpStatus.ACCEPTED,
    FollowUpStatus.WAITING_LIST,
)

#: The badge modifier (docs/look-and-feel.md) that colours each status; the text carries the meaning.
STATUS_BADGES = {
    FollowUpStatus.PROPOSED: "received",
    FollowUpStatus.SENT: "assigned",
    FollowUpStatus.ACCEPTED: "in_contact",
    FollowUpStatus.WAITING_LIST: "follow_up",
    FollowUpStatus.STARTED: "visited",
    FollowUpStatus.ENDED: "closed",
    FollowUpStatus.DECLINED_FAMILY: "high",
    FollowUpStatus.DECLINED_PROVIDER: "high",
}


class FollowUp(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="follow_ups")
    domain = models.ForeignKey(
        VulnerabilityDomain, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("domain")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    outside_area_reason = models.TextField(
        _("why an offer outside the client's municipality"), max_length=2000, blank=True
    )
    shared_with_provider = models.TextField(
        _("what the family agreed to share with the provider"), max_length=4000, blank=True
    )
    share_phone = models.BooleanField(_("the family agreed to share her phone number"), default=False)
    sent_at = models.DateTimeField(
        _("sent"),
        null=True,
        blank=True,
        help_text=_("Sent to the provider, with the family's consent to share what is recorded here."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("follow-up referral")
        verbose_name_plural = _("follow-up referrals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["declined_family", "declined_provider"]) | ~Q(decline_reason=""),
                name="followup_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "declined_family"]) | Q(sent_at__isnull=False),
                name="followup_sent_has_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting_list") | Q(expected_start__isnull=False),
                name="followup_waiting_has_start",
            ),
            # One open follow-up per offer and case: a double submit cannot make a second one.
            models.UniqueConstraint(
                fields=["case", "offer"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="followup_one_open_per_offer",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "status_changed_at"], name="followup_stagnation"),
            models.Index(fields=["case", "created_at"], name="followup_case_created"),
            # A provider's list: her offers' referrals in a status, newest change first. Without it the list and
            # its count read every running referral of the country for her few offers (docs/benchmarks.md).
            models.Index(fields=["offer", "status", "status_changed_at"], name="followup_offer_status"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.offer_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("followup:detail", args=[self.case_id, self.pk])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class FollowUpEvent(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=FollowUpStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=FollowUpStatus.choices)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["to_status", "at"], name="followupevent_status_at")]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.from_status}→{self.to_status}"


class GapReason(models.TextChoices):
    NONE_EXISTS = "none_exists", _("No such offer exists")
    WAITING_TOO_LONG = "waiting_too_long", _("Waiting list too long")
    NOT_REACHABLE = "not_reachable", _("Not reachable for the family")
    LANGUAGE = "language", _("Not available in the family's language")
    COSTS = "costs", _("Costs too high for the family")
    OTHER = "other", _("Other")


class Gap(models.Model):
    """A need for which no fitting offer exists (lacune). The municipality sees these in aggregate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="gaps")
    domain = models.ForeignKey(
        VulnerabilityDomain, on_delete=models.PROTECT, related_name="+", verbose_name=_("domain")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, related_name="gaps")
    need = models.TextField(_("what was needed"), max_length=2000)
    reason = models.CharField(_("why nothing fitted"), max_length=20, choices=GapReason.choices)
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(explanation=""), name="gap_other_reason_explained"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "created_at"], name="gap_municipality_created")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.domain_id} {self.reason}"
