"""Forms of the follow-up pages. Input validation only; the rules live in services."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.clients.models import Language
from kansrijk.referrals.forms import DateInput
from kansrijk.referrals.models import VulnerabilityDomain

from .models import GapReason
from .workflow import CHANGES

CASE_DOMAINS = ""
EVERY_DOMAIN = "all"


class OfferFilterForm(forms.Form):
    """Narrow the offers for a case (GET)."""

    domain = forms.ChoiceField(label=_("Domain"), required=False)
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("pregnancy", _("During pregnancy")), ("after_birth", _("After birth")), ("", _("Either phase"))],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )
    everywhere = forms.BooleanField(label=_("Also show offers outside the client's municipality"), required=False)

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = {str(d.pk): d for d in domains}
        self.fields["domain"].choices = [
            (CASE_DOMAINS, _("The domains signalled for this case")),
            (EVERY_DOMAIN, _("Every domain")),
            *[(pk, d.name) for pk, d in self.domains.items()],
        ]


class ReferForm(forms.Form):
    """The one-step "refer" button of an offer."""

    offer = forms.IntegerField(widget=forms.HiddenInput)
    domain = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outside_area_reason = forms.CharField(
        label=_("Why this offer, outside her municipality?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    shared_with_provider = forms.CharField(
        label=_("What the family agreed to share with the provider"),
        help_text=_("The provider sees her name, this text and, if you tick it below, her phone number; nothing else."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_phone = forms.BooleanField(label=_("Share her phone number with the provider"), required=False)
    consent = forms.BooleanField(
        label=_("The family consented to share this with the provider."),
        error_messages={"required": _("Without the family's consent, the referral cannot be sent.")},
    )


class StatusForm(forms.Form):
    """Record a new status; the choices are the changes this user may make now."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    change = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    expected_start = forms.DateField(
        label=_("Expected start"), required=False, widget=DateInput, help_text=_("Required for a waiting list.")
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when declined."),
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, changes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [(c.name, c.label) for c in changes]
        # Only the fields one of these changes asks for.
        if not any(c.needs_expected_start for c in changes):
            del self.fields["expected_start"]
        if not any(c.needs_reason for c in changes):
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        change = CHANGES.get(data.get("change", ""))
        if change is not None:
            if change.needs_expected_start and not data.get("expected_start"):
                self.add_error("expected_start", _("Give the expected start date."))
            if change.needs_reason and not data.get("reason", "").strip():
                self.add_error("reason", _("Give the reason for declining."))
        return data


class GapForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=VulnerabilityDomain.objects.none())
    need = forms.CharField(label=_("What was needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.ChoiceField(label=_("Why nothing fitted"), choices=GapReason.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(
        label=_("Explanation"), max_length=500, required=False, help_text=_("Required for “Other”.")
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = VulnerabilityDomain.objects.filter(region=region, is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("reason") == GapReason.OTHER and not data.get("explanation", "").strip():
            self.add_error("explanation", _("Explain why nothing fitted."))
        return data
