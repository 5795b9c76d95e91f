"""The central digital desk (centrale digitale balie): public pages, FAQ, self-registration, questions.

Page and FAQ texts are kept per language; the visitor sees her language, or Dutch where a
text is missing. Self-registrations become referrals (source "self") in the planner's intake
queue; questions are answered from a queue by JGZ staff.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality, Organisation, Region

#: The languages of the public pages (all of settings.LANGUAGES).
PUBLIC_LANGUAGES = [code for code, _name in settings.LANGUAGES]

#: Letters and digits that cannot be mistaken for one another when read out on the phone.
_REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def new_reference(prefix: str) -> str:
    """A short reference a visitor can read out on the phone, e.g. "AM-7KQ4-HX9C"."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Residents")
    PROFESSIONALS = "professionals", _("Professionals")


class Page(models.Model):
    """A public information page. Its slug is fixed (templates link to it); its texts are per language."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.RESIDENTS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    in_menu = models.BooleanField(_("in the menu"), default=False)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("desk page")
        verbose_name_plural = _("desk pages")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.slug


class PageText(models.Model):
    """A page in one language. `body` is Markdown (headings, lists, links, bold), rendered safely."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text"), max_length=20000, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("page text")
        verbose_name_plural = _("page texts")
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="page_text_unique_language")]

    def __str__(self) -> str:
        return f"{self.page.slug} ({self.language})"


class FaqItem(models.Model):
    """A frequently asked question; its question and answer are per language."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.RESIDENTS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")
        ordering = ["audience", "order", "key"]

    def __str__(self) -> str:
        return self.key


class FaqText(models.Model):
    item = models.ForeignKey(FaqItem, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), max_length=4000)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("FAQ text")
        verbose_name_plural = _("FAQ texts")
        constraints = [models.UniqueConstraint(fields=["item", "language"], name="faq_text_unique_language")]

    def __str__(self) -> str:
        return f"{self.item.key} ({self.language})"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message or WhatsApp")
    EMAIL = "email", _("E-mail")


class ContactTime(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Early evening")


class SelfRegistration(models.Model):
    """What a woman who registered herself at the desk told us beyond the referral: how to reach her.

    The referral itself (source "self") carries the client, due date and her worries; this
    record adds the reference she was given and her contact preferences.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="self_registration", verbose_name=_("referral")
    )
    contact_channel = models.CharField(
        _("how to reach her"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    contact_times = models.JSONField(_("when to reach her"), default=list, blank=True)
    contact_note = models.CharField(_("about reaching her"), max_length=300, blank=True)
    #: The number and address she typed in this form. Her client record keeps what was on file when she
    #: was already known (a public form never overwrites it); these show the planner what she gave now.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language of the form"), max_length=10, choices=settings.LANGUAGES)
    submission_key = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-registration")
        verbose_name_plural = _("self-registrations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def contact_time_labels(self) -> list[str]:
        labels = dict(ContactTime.choices)
        return [str(labels.get(t, t)) for t in self.contact_times]


class AskerKind(models.TextChoices):
    RESIDENT = "resident", _("Resident or parent")
    PROFESSIONAL = "professional", _("Professional")


class AnswerChannel(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    PHONE = "phone", _("By phone")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    SET_ASIDE = "set_aside", _("Set aside")


class Question(models.Model):
    """A question to the desk (vraagbaak), answered by JGZ staff by the channel the asker chose."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    asker_kind = models.CharField(_("asked by"), max_length=20, choices=AskerKind.choices)
    name = models.CharField(_("name"), max_length=150)
    channel = models.CharField(_("answer"), max_length=10, choices=AnswerChannel.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    text = models.TextField(_("question"), max_length=2000)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("municipality")
    )
    #: Routed by the municipality: the JGZ organisation that serves it, and its region.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="desk_questions"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    submission_key = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""), name="question_email_channel_has_address"
            ),
            models.CheckConstraint(
                condition=~Q(channel="phone") | ~Q(phone=""), name="question_phone_channel_has_number"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="question_status_created"),
            # The answered and set-aside lists, newest answer first, one page of 50: read in order, not all
            # the region's answered questions of every year sorted (docs/benchmarks.md).
            models.Index(fields=["status", "-answered_at", "-id"], name="question_status_answered"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def time_to_answer(self):
        """How long the asker waited: from asking to the answer (a timedelta), or None while open."""
        if self.answered_at is None:
            return None
        return self.answered_at - self.created_at
