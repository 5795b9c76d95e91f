"""The professional referral form. Validation of input only; the rules live in services."""

import uuid
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from kansrijk.clients.models import Language

from .models import ScreeningInstrument, Urgency, VulnerabilityDomain

#: Numbers that pass the 11-proof but are never issued to a person.
KNOWN_INVALID_BSNS = frozenset({"000000000", "123456782", *(d * 9 for d in "123456789")})
#: Numbers the RvIG reserves for testing; refused unless test numbers are allowed (demo, tests).
TEST_BSN_RANGE = ("999990000", "999999999")


def clean_bsn(value: str) -> str:
    value = (value or "").replace(" ", "").replace(".", "")
    if not value:
        return ""
    try:
        value = stdnum_bsn.validate(value)
    except StdnumError:
        raise forms.ValidationError(_("This is not a valid BSN: it must be 9 digits and pass the 11-proof.")) from None
    if value in KNOWN_INVALID_BSNS:
        raise forms.ValidationError(_("This BSN is never issued to a person. Check the number."))
    if TEST_BSN_RANGE[0] <= value <= TEST_BSN_RANGE[1] and not getattr(settings, "KANSRIJK_ALLOW_TEST_BSN", False):
        raise forms.ValidationError(_("This is a test BSN, not a person's number. Check the number."))
    return value


def clean_postcode(value: str) -> str:
    try:
        return stdnum_postcode.validate(value or "")
    except StdnumError:
        raise forms.ValidationError(_("Enter a Dutch postcode like 6211 AB.")) from None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReferralForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    bsn = forms.CharField(
        label=_("BSN (optional)"),
        required=False,
        max_length=11,
        help_text=_("Nine digits. Leave empty if you do not know it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    street = forms.CharField(label=_("Street"), max_length=150, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        help_text=_("The postcode decides which JGZ organisation receives the referral."),
    )
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.DUTCH
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)

    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput(attrs={"data-weeks-output": "due-date-weeks"}),
        help_text=_("The weeks of pregnancy are calculated from it."),
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Signals of vulnerability"),
        queryset=VulnerabilityDomain.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every domain in which you see risk factors."),
    )
    reason = forms.CharField(
        label=_("What worries you, and what is going well?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL)
    screening_instrument = forms.ChoiceField(
        label=_("Screening instrument used"), choices=ScreeningInstrument.choices, initial=ScreeningInstrument.NONE
    )
    consent_contact = forms.BooleanField(
        label=_("The woman agrees that the JGZ contacts her about a prenatal home visit."),
        required=True,
        error_messages={
            "required": _(
                "Without her consent the referral cannot be sent: the prenatal home visit is voluntary, and the JGZ "
                "may only contact her when she has agreed. Discuss it with her first."
            )
        },
    )
    consent_feedback = forms.BooleanField(
        label=_("The woman agrees that the JGZ tells me how the referral went (feedback)."), required=False
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            self.fields["domains"].queryset = VulnerabilityDomain.objects.filter(region=region, is_active=True)

    def clean_bsn(self) -> str:
        return clean_bsn(self.cleaned_data.get("bsn", ""))

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_date_of_birth(self) -> date:
        value = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("The date of birth lies in the future."))
        age = (today - value).days / 365.25
        if age < 10 or age > 60:
            raise forms.ValidationError(_("This date of birth is not possible for a pregnant woman. Check the year."))
        return value

    def clean_due_date(self) -> date:
        value = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("The due date lies in the past."))
        if value > today + timedelta(weeks=settings.KANSRIJK_MAX_WEEKS_UNTIL_DUE):
            raise forms.ValidationError(
                _("The due date lies more than %(weeks)s weeks ahead. Check the date.")
                % {"weeks": settings.KANSRIJK_MAX_WEEKS_UNTIL_DUE}
            )
        return value
