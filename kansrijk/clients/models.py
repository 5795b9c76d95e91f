"""The pregnant woman (client) and her contact details."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    POLISH = "pl", _("Polish")
    UKRAINIAN = "uk", _("Ukrainian")
    TIGRINYA = "ti", _("Tigrinya")
    BERBER = "ber", _("Tamazight (Berber)")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    OTHER = "other", _("Other language")


class Client(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, default="")
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, help_text=_("For example 6211 AB."))
    city = models.CharField(_("place"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.DUTCH
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(fields=["bsn"], condition=~Q(bsn=""), name="client_unique_bsn"),
        ]
        indexes = [models.Index(fields=["last_name", "date_of_birth"], name="client_name_dob")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_bsn(self) -> str:
        """The BSN is never shown in full where it is not needed."""
        return f"•••••{self.bsn[-4:]}" if self.bsn else ""
