"""Feedback to the referrer (terugkoppeling), within the consent the woman gave."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kansrijk.cases.models import Case
from kansrijk.referrals.models import Referral


class Moment(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact made")
    VISIT_HELD = "visit_held", _("Home visit held")
    DECLINED = "declined", _("Declined or unreachable")
    FOLLOW_UP = "follow_up", _("Follow-up support in place")
    CLOSED = "closed", _("Case closed")


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class Feedback(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="feedback")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="feedback")
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    text = models.TextField(_("message"), max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    read_at = models.DateTimeField(_("read by the referrer"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "moment"], name="feedback_once_per_moment"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False), name="feedback_sent_has_time"
            ),
        ]
        indexes = [models.Index(fields=["case", "status", "sent_at"], name="feedback_case_sent")]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.moment} ({self.status})"
