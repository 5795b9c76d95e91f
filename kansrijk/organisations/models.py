"""Regions, municipalities, organisations and the roles people hold in them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True, help_text=_("For example GM0935."))
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"),
        ]

    def __str__(self) -> str:
        return self.name


class PostcodeRange(models.Model):
    """An inclusive range of four-digit postcode areas that lies in a municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="postcode_ranges")
    start = models.PositiveIntegerField(_("from"))
    end = models.PositiveIntegerField(_("to"))

    class Meta:
        verbose_name = _("postcode range")
        verbose_name_plural = _("postcode ranges")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="postcode_range_ordered"),
            models.CheckConstraint(condition=Q(start__gte=1000, end__lte=9999), name="postcode_range_four_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.municipality}"


class OrganisationKind(models.TextChoices):
    JGZ = "jgz", _("Youth health care (JGZ)")
    MIDWIFERY = "midwifery", _("Midwifery practice")
    HOSPITAL = "hospital", _("Hospital")
    MATERNITY = "maternity", _("Maternity care")
    GP = "gp", _("GP practice")
    SOCIAL_TEAM = "social_team", _("Social team")
    PROVIDER = "provider", _("Follow-up provider")
    MUNICIPALITY = "municipality", _("Municipality")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    municipalities_served = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="serving_organisations",
        verbose_name=_("municipalities served"),
        help_text=_("For a JGZ organisation: the municipalities whose referrals it receives."),
    )
    nurses_see_team_cases = models.BooleanField(
        _("nurses see the cases of their team"),
        default=False,
        help_text=_("When off, a nurse sees only the cases assigned to her."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REFERRER = "referrer", _("Referrer")
    PLANNER = "planner", _("Team lead / planner")
    NURSE = "nurse", _("Youth nurse")
    PROVIDER = "provider", _("Follow-up provider")
    MUNICIPALITY_OFFICER = "municipality_officer", _("Municipality policy officer")
    REGION_COORDINATOR = "region_coordinator", _("Region coordinator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMINISTRATOR = "administrator", _("Functional administrator")


#: Roles whose work involves client data: two-factor login is required for them.
CLIENT_DATA_ROLES = frozenset(
    {Role.REFERRER, Role.PLANNER, Role.NURSE, Role.PROVIDER, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER}
)


class Membership(models.Model):
    """A person holds a role in an organisation; a person may hold roles in several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        verbose_name=_("municipalities"),
        help_text=_("For a municipality officer: the municipalities whose figures she sees."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"
