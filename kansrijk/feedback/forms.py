from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Moment


class DraftForm(forms.Form):
    """Which moment of which referral to draft feedback for (the buttons on the case page)."""

    referral = forms.IntegerField(widget=forms.HiddenInput)
    moment = forms.ChoiceField(choices=Moment.choices, widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Message to the referrer"),
        help_text=_(
            "Only the stage and the general outcome, as the woman consented to. "
            "No details of the assessment, the plan or what the family told you."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 16}),
    )


class BirthForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    birth_date = forms.DateField(
        label=_("Date of birth of the baby"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
