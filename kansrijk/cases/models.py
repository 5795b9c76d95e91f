"""A case (traject): one pregnancy of one client, from referral to closing."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.clients.models import Client
from kansrijk.organisations.models import Municipality, Organisation, Region
from kansrijk.referrals.models import Urgency


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_CONTACT = "in_contact", _("In contact")
    VISITED = "visited", _("Visited")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined by the client")
    UNREACHABLE = "unreachable", _("Unreachable")
    MOVED = "moved", _("Moved away")
    PREGNANCY_ENDED = "pregnancy_ended", _("Pregnancy ended")
    ALREADY_IN_CARE = "already_in_care", _("Already in care elsewhere")
    NOT_IN_TARGET_GROUP = "not_in_target_group", _("Not in the target group")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        return self.exclude(status=Status.CLOSED)


class Case(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        help_text=_("The JGZ organisation. Empty while no organisation serves the postcode."),
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    close_reason = models.CharField(_("reason for closing"), max_length=30, choices=CloseReason.choices, blank=True)
    due_date = models.DateField(_("due date"))
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    first_visit_at = models.DateTimeField(_("first visit"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    birth_date = models.DateField(_("date of birth of the baby"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; guards against lost updates.")

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & ~Q(close_reason=""))
                | (~Q(status=Status.CLOSED) & Q(close_reason="")),
                name="case_closed_iff_reason",
            ),
            models.CheckConstraint(
                condition=Q(nurse__isnull=False) | Q(status__in=[Status.RECEIVED, Status.CLOSED]),
                name="case_assigned_has_nurse",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            models.Index(fields=["nurse", "status"], name="case_nurse_status"),
            # The figures (monitoring): the cohort of a municipality and period, and first visits in a period.
            # With the id, a figure that reaches its records through their cases (visits, follow-ups, feedback of
            # the cases that can have events in the period) finds those cases in the index alone, without reading
            # each case's row (PostgreSQL's index-only scan): about 1 ms a figure query (docs/benchmarks.md).
            models.Index(fields=["municipality", "received_at", "id"], name="case_municipality_received"),
            models.Index(fields=["municipality", "first_visit_at"], name="case_municipality_visited"),
            # A municipality's open cases (stagnating follow-ups are theirs): a few hundred among its years of
            # closed ones. Without it the figure read every open follow-up of the country (docs/benchmarks.md).
            models.Index(fields=["municipality"], condition=~Q(status="closed"), name="case_open_municipality"),
            # The team's pages (docs/benchmarks.md): each nurse's open cases, counted for the caseloads, and the
            # team's cases open or closed lately (the feedback still to give), a few hundred among the
            # organisation's twenty years. Without them both read every case the organisation ever had.
            models.Index(
                fields=["organisation", "nurse"], condition=~Q(status="closed"), name="case_open_organisation"
            ),
            models.Index(fields=["organisation", "closed_at"], name="case_organisation_closed"),
        ]

    def __str__(self) -> str:
        return f"{_('Case')} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    def pregnancy_weeks(self, on: date | None = None) -> tuple[int, int] | None:
        """Weeks and days of pregnancy on a day (default: today), counted back from the due date."""
        return pregnancy_weeks(self.due_date, on)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


def pregnancy_weeks(due_date: date, on: date | None = None) -> tuple[int, int] | None:
    on = on or timezone.localdate()
    days = settings.KANSRIJK_PREGNANCY_WEEKS * 7 - (due_date - on).days
    if days < 0:
        return None
    return divmod(days, 7)


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    REFERRAL = "referral", _("Referral received")
    ROUTED = "routed", _("Routed to a JGZ organisation")
    REASSIGNED = "reassigned", _("Nurse changed")


class CaseEvent(models.Model):
    """The timeline of a case: every transition and event, with who and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    transition = models.CharField(_("transition"), max_length=40, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
