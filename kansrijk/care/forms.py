"""Forms of the nurse's work. They check the input only; the rules live in services.py."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ContactMethod, SupportNeeded, VisitForm
from .services import MAX_VISIT_MINUTES, DomainAssessment, HeldVisit

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _text(label, *, max_length, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class OnceForm(forms.Form):
    """A form that creates a record: the hidden key makes a double submit create it once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class VersionForm(forms.Form):
    """A form that changes a record two people can edit: carries the version it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ContactAttemptForm(OnceForm):
    at = _datetime_field(_("When"))
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices, widget=forms.RadioSelect)
    reached = forms.TypedChoiceField(
        label=_("Did you reach her?"),
        choices=[("yes", _("Yes, we were in contact")), ("no", _("No, not reached"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = _text(_("Note"), max_length=2000, help_text=_("For example: voicemail left, letter with a proposed date."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)


class VisitPlanFields(forms.Form):
    scheduled_at = _datetime_field(_("Date and time"))
    form = forms.ChoiceField(label=_("Form"), choices=VisitForm.choices, widget=forms.RadioSelect)
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("For a visit elsewhere: where. At home: leave empty for her home address."),
    )


class VisitPlanForm(OnceForm, VisitPlanFields):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form", VisitForm.HOME)
        super().__init__(*args, **kwargs)


class VisitRescheduleForm(VersionForm, VisitPlanFields):
    pass


class VisitHeldFields(VisitPlanFields):
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=MAX_VISIT_MINUTES)
    partner_present = forms.BooleanField(label=_("Partner present"), required=False)
    others_present = forms.CharField(
        label=_("Others present"),
        max_length=200,
        required=False,
        help_text=_("For example: her mother, a social worker. No names needed."),
    )
    interpreter_used = forms.BooleanField(label=_("Interpreter used"), required=False)
    notes = _text(_("Notes"), max_length=8000, rows=6)

    def held(self) -> HeldVisit:
        data = self.cleaned_data
        return HeldVisit(
            scheduled_at=data["scheduled_at"],
            form=data["form"],
            location=data["location"],
            duration_minutes=data["duration_minutes"],
            partner_present=data["partner_present"],
            others_present=data["others_present"],
            interpreter_used=data["interpreter_used"],
            notes=data["notes"],
        )


class VisitHeldForm(OnceForm, VisitHeldFields):
    """A visit held that was not planned here first."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form", VisitForm.HOME)
        super().__init__(*args, **kwargs)


class VisitMarkHeldForm(VersionForm, VisitHeldFields):
    """A planned visit took place, or a correction of a held one."""


class VisitCancelForm(VersionForm):
    note = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=500,
        required=False,
        help_text=_("For example: she asked to move it; she was ill."),
    )


class AssessmentForm(OnceForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    family_questions = _text(
        _("The family's own questions and wishes, in their words"),
        max_length=4000,
        rows=5,
        required=True,
        help_text=_("Write down what they say, as they say it."),
    )
    support_needed = forms.ChoiceField(
        label=_("Support needed, in your conclusion"), choices=SupportNeeded.choices, widget=forms.RadioSelect
    )
    conclusion = _text(_("Your conclusion"), max_length=4000, rows=4)

    PARTS = ("situation", "risk_factors", "protective_factors")

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        labels = {
            "situation": _("Situation"),
            "risk_factors": _("Risk factors"),
            "protective_factors": _("Protective factors"),
        }
        for domain in self.domains:
            for part in self.PARTS:
                self.fields[f"d{domain.pk}_{part}"] = _text(labels[part], max_length=4000, rows=2)

    def domain_groups(self):
        """(domain, [bound fields]) for the template, in catalogue order."""
        return [(d, [self[f"d{d.pk}_{part}"] for part in self.PARTS]) for d in self.domains]

    def domain_parts(self) -> dict[int, DomainAssessment]:
        data = self.cleaned_data
        return {
            d.pk: DomainAssessment(**{part: data.get(f"d{d.pk}_{part}", "") for part in self.PARTS})
            for d in self.domains
        }


def assessment_initial(current) -> dict:
    """Prefill a new version from the current one."""
    if current is None:
        return {"based_on": 0}
    initial = {
        "based_on": current.number,
        "family_questions": current.family_questions,
        "support_needed": current.support_needed,
        "conclusion": current.conclusion,
    }
    for part in current.domains.all():
        for name in AssessmentForm.PARTS:
            initial[f"d{part.domain_id}_{name}"] = getattr(part, name)
    return initial


class GoalFields(forms.Form):
    goal = _text(_("Goal, in the family's words"), max_length=2000, rows=3, required=True)
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=None, required=False, empty_label=_("— not tied to one domain —")
    )

    def __init__(self, *args, domains=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains


class GoalForm(OnceForm, GoalFields):
    pass


class GoalEditForm(VersionForm, GoalFields):
    pass


class ActionFields(forms.Form):
    action = forms.CharField(label=_("What"), max_length=500)
    responsible = forms.CharField(
        label=_("Who"), max_length=150, help_text=_("For example: she herself, her partner, the nurse, the wijkteam.")
    )
    due_date = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ActionForm(OnceForm, ActionFields):
    pass


class ActionEditForm(VersionForm, ActionFields):
    pass


class ToggleForm(VersionForm):
    """Mark a goal achieved or an action done (or undo it)."""

    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
