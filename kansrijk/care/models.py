"""The nurse's work on a case: contact attempts, visits, the assessment and the plan."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.cases.models import Case
from kansrijk.referrals.models import VulnerabilityDomain


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    DOOR = "door", _("At the door")


class ContactAttempt(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    at = models.DateTimeField(_("when"), default=timezone.now)
    method = models.CharField(_("how"), max_length=10, choices=ContactMethod.choices)
    reached = models.BooleanField(_("reached"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    #: One record per submitted form: a double submit or a retry returns the first one.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.method} {self.at:%Y-%m-%d}"


class VisitForm(models.TextChoices):
    HOME = "home", _("At home")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("By phone")
    ELSEWHERE = "elsewhere", _("Elsewhere")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    nurse = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    scheduled_at = models.DateTimeField(_("date and time"))
    form = models.CharField(_("form"), max_length=10, choices=VisitForm.choices, default=VisitForm.HOME)
    location = models.CharField(_("location"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    partner_present = models.BooleanField(_("partner present"), default=False)
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    notes = models.TextField(_("notes"), max_length=8000, blank=True)
    cancellation_note = models.CharField(_("why cancelled"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["scheduled_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gte=1, duration_minutes__lte=480),
                name="visit_duration_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.HELD) | Q(duration_minutes__isnull=False),
                name="visit_held_has_duration",
            ),
        ]
        indexes = [
            models.Index(fields=["nurse", "status", "scheduled_at"], name="visit_agenda"),
            models.Index(fields=["case", "status", "scheduled_at"], name="visit_case_held"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.form} {self.scheduled_at:%Y-%m-%d}"


class SupportNeeded(models.TextChoices):
    NONE = "none", _("No further support needed")
    LIGHT = "light", _("Light support")
    INTENSIVE = "intensive", _("Intensive support")


class Assessment(models.Model):
    """One recorded version of the assessment; an update adds a new one, nothing is erased."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveSmallIntegerField(_("version"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    family_questions = models.TextField(_("the family's questions and wishes, in their words"), max_length=4000)
    support_needed = models.CharField(_("support needed"), max_length=10, choices=SupportNeeded.choices)
    conclusion = models.TextField(_("the nurse's conclusion"), max_length=4000, blank=True)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["case", "-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="assessment_unique_version")]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


class AssessmentDomain(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.ForeignKey(VulnerabilityDomain, on_delete=models.PROTECT, related_name="+")
    situation = models.TextField(_("situation"), max_length=4000, blank=True)
    risk_factors = models.TextField(_("risk factors"), max_length=4000, blank=True)
    protective_factors = models.TextField(_("protective factors"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("assessment per domain")
        verbose_name_plural = _("assessments per domain")
        ordering = ["domain__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_domain_once")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.domain_id}"


class PlanGoal(models.Model):
    """A goal of the agreed approach, in the family's own words."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_goals")
    goal = models.TextField(_("goal, in the family's words"), max_length=2000)
    domain = models.ForeignKey(
        VulnerabilityDomain, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("domain")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    achieved_at = models.DateTimeField(_("achieved"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.goal[:60]


class PlanAction(models.Model):
    """Who does what, by when."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("action"), max_length=500)
    responsible = models.CharField(_("who"), max_length=150)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.action[:60]
