"""Referrals (aanmeldingen) and the catalogue of vulnerability domains."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Organisation, OrganisationKind, Region


class VulnerabilityDomain(models.Model):
    """A domain of the region's framework (e.g. financial, housing). Administrators can extend it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(_("code"), max_length=50)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    #: Plain-language names for the public desk, by language code ({"ar": "...", "tr": "..."}).
    public_names = models.JSONField(
        _("names on the public desk"),
        default=dict,
        blank=True,
        help_text=_('Plain words per language code for residents, e.g. {"nl": "Geld", "en": "Money"}.'),
    )

    class Meta:
        verbose_name = _("vulnerability domain")
        verbose_name_plural = _("vulnerability domains")
        ordering = ["order", "name_nl"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="domain_unique_code_in_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_for(self.name_nl, self.name_en)

    @staticmethod
    def name_for(name_nl: str, name_en: str) -> str:
        """The name in the active language: English when it is English, else Dutch."""
        return name_en if (get_language() or "nl").startswith("en") else name_nl

    def public_name(self, language: str | None = None) -> str:
        """The plain-language name for residents in this language; else the Dutch/English name."""
        language = (language or get_language() or "nl")[:2]
        names = self.public_names or {}
        if names.get(language):
            return names[language]
        if language == "en":
            return names.get("en") or self.name_en
        return names.get("nl") or self.name_nl


class Urgency(models.IntegerChoices):
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High: contact within a few days")
    URGENT = 3, _("Urgent: contact today")


class ScreeningInstrument(models.TextChoices):
    NONE = "none", _("None")
    R4U = "r4u", _("R4U (Rotterdam Reproductive Risk Reduction)")
    MIND2CARE = "mind2care", _("Mind2Care")
    GIZ = "giz", _("GIZ (Gezamenlijk Inschatten van Zorgbehoeften)")
    SAMEN_STARTEN = "samen_starten", _("Samen Starten")
    OTHER = "other", _("Other")


class ReferralSource(models.TextChoices):
    MIDWIFE = "midwife", _("Midwife")
    HOSPITAL = "hospital", _("Hospital")
    MATERNITY = "maternity", _("Maternity care")
    GP = "gp", _("GP")
    SOCIAL_TEAM = "social_team", _("Social team")
    SELF = "self", _("Self-registration")
    OTHER = "other", _("Other")

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> "ReferralSource":
        return {
            OrganisationKind.MIDWIFERY: cls.MIDWIFE,
            OrganisationKind.HOSPITAL: cls.HOSPITAL,
            OrganisationKind.MATERNITY: cls.MATERNITY,
            OrganisationKind.GP: cls.GP,
            OrganisationKind.SOCIAL_TEAM: cls.SOCIAL_TEAM,
        }.get(organisation.kind, cls.OTHER)


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals", null=True, blank=True
    )
    referrer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_made", null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=ReferralSource.choices)
    created_at = models.DateTimeField(_("referred at"), auto_now_add=True)
    due_date = models.DateField(_("due date"))
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    screening_instrument = models.CharField(
        _("screening instrument"), max_length=20, choices=ScreeningInstrument.choices, default=ScreeningInstrument.NONE
    )
    domains = models.ManyToManyField(VulnerabilityDomain, related_name="referrals", verbose_name=_("signals"))
    reason = models.TextField(_("reason for referral"), max_length=4000)
    consent_contact = models.BooleanField(_("consent to be contacted by the JGZ"))
    consent_feedback = models.BooleanField(_("consent to feedback to the referrer"))
    consent_recorded_at = models.DateTimeField(_("consent recorded at"))
    joined_existing_case = models.BooleanField(_("joined an existing case"), default=False)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            # Without consent to be contacted, there is no referral.
            models.CheckConstraint(condition=Q(consent_contact=True), name="referral_requires_contact_consent"),
        ]
        indexes = [models.Index(fields=["case", "created_at"], name="referral_case_created")]

    def __str__(self) -> str:
        return f"{_('Referral')} {self.pk}"
