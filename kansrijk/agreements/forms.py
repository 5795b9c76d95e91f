import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts.models import User
from kansrijk.organisations.models import Municipality, Organisation

from .models import Agreement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = Agreement
        fields = [
            "topic",
            "title",
            "text",
            "municipalities",
            "parties",
            "other_parties",
            "owner",
            "owner_name",
            "meeting",
            "agreed_on",
            "next_review_on",
        ]
        widgets = {
            "agreed_on": DATE,
            "next_review_on": DATE,
            "municipalities": forms.CheckboxSelectMultiple,
            "parties": forms.CheckboxSelectMultiple,
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(region=region)
        self.fields["parties"].queryset = Organisation.objects.filter(region=region).exclude(kind="municipality")
        self.fields["owner"].queryset = User.objects.filter(
            memberships__organisation__region=region, memberships__is_active=True
        ).distinct()
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        if not self.instance.pk:
            self.fields["agreed_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        agreed, review = data.get("agreed_on"), data.get("next_review_on")
        if agreed and review and review < agreed:
            self.add_error("next_review_on", _("The next review cannot be before the day it was agreed."))
        if not data.get("owner") and not data.get("owner_name"):
            self.add_error("owner_name", _("Choose an owner, or type the owner's name."))
        return data


class EvaluationForm(forms.Form):
    on = forms.DateField(label=_("Reviewed on"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(label=_("What we found"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    next_review_on = forms.DateField(
        label=_("Next review"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to end the agreement."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        data = super().clean()
        on, review = data.get("on"), data.get("next_review_on")
        if on and on > timezone.localdate():
            self.add_error("on", _("A review cannot be in the future."))
        if on and review and review <= on:
            self.add_error("next_review_on", _("The next review must come after this one."))
        return data
