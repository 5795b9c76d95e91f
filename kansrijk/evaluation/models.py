"""Evaluation questionnaires. Answers are anonymous: a response holds where and when, never who.

- An `Invitation` is a one-time link a nurse hands a family after a held home visit. It keeps the
  municipality, the JGZ organisation, the visit's form and month — not the case, the client or the visit.
- A `Response` and its `Answer`s hold the questionnaire, place and period only.
- `Participation` remembers that a professional answered a round, apart from her answers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality, Organisation, Region


class Invitation(models.Model):
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8)
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    visit_form = models.CharField(max_length=10, blank=True)
    month = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")

    def __str__(self) -> str:
        return f"{self.pk} {self.month:%Y-%m}"


class Response(models.Model):
    questionnaire = models.CharField(max_length=20)
    version = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    role = models.CharField(max_length=30, blank=True)
    visit_form = models.CharField(max_length=10, blank=True)
    month = models.DateField()
    round = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        indexes = [models.Index(fields=["questionnaire", "region", "month"], name="response_period")]

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.month:%Y-%m}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=30)
    choice = models.CharField(max_length=20, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.response_id} {self.question}"


class Participation(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.CharField(max_length=10)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "round"], name="participation_once_per_round")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.round}"
