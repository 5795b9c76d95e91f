"""Forms of the social map: input only. The rules live in services and the access layer."""

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

from kansrijk.clients.models import Language

from . import importing, selectors
from .models import Costs, Offer, Phase
from .services import MAX_WAIT_WEEKS, OfferData


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("All municipalities")
    )
    postcode = forms.CharField(
        label=_("Or postcode"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}),
    )
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=None, required=False, empty_label=_("All domains"))
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("Any phase")), *Phase.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = selectors.municipalities_of(region)
        self.fields["domain"].queryset = selectors.domains_of(region)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        if len(value) == 4 and value.isdigit():
            return value
        try:
            return stdnum_postcode.validate(value)
        except StdnumError:
            raise forms.ValidationError(_("Enter a Dutch postcode like 6211 AB, or only its four digits.")) from None

    def clean(self):
        data = super().clean()
        if data.get("municipality") and data.get("postcode"):
            raise forms.ValidationError(_("Choose a municipality or enter a postcode, not both."))
        return data

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class OfferForm(forms.Form):
    """Create or edit an offer. For a municipality officer, the municipalities are only her own; the ones
    an offer also serves beyond hers are shown on the page and kept as they are."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    provider = forms.ModelChoiceField(
        label=_("Provider organisation in Kansrijk"),
        queryset=None,
        required=False,
        empty_label=_("None: the provider does not use Kansrijk"),
        help_text=_("Its users then receive the follow-up referrals to this offer in Kansrijk."),
    )
    provider_name = forms.CharField(
        label=_("Provider"),
        max_length=200,
        required=False,
        help_text=_("As families and referrers know it. Empty: the name of the organisation above."),
    )
    description = forms.CharField(label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    target_group = forms.CharField(label=_("Target group"), max_length=300, required=False)
    domains = forms.ModelMultipleChoiceField(
        label=_("Domains it addresses"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    phases = forms.MultipleChoiceField(label=_("Phase"), choices=Phase.choices, widget=forms.CheckboxSelectMultiple)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages in which it is available"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    costs = forms.ChoiceField(label=_("Costs for the family"), choices=Costs.choices)
    costs_note = forms.CharField(label=_("About the costs"), max_length=300, required=False)
    how_to_refer = forms.CharField(
        label=_("How to refer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The procedure: what the referrer does, what the family needs, what happens next."),
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    typical_wait_weeks = forms.IntegerField(
        label=_("Typical waiting time (weeks)"),
        min_value=0,
        max_value=MAX_WAIT_WEEKS,
        required=False,
        help_text=_("Empty when unknown."),
    )
    recognised_intervention = forms.BooleanField(
        label=_("Recognised intervention"),
        required=False,
        help_text=_("Listed in the Dutch database of effective youth interventions."),
    )
    maintainer = forms.ModelChoiceField(
        label=_("Maintainer"),
        queryset=None,
        help_text=_("Checks the details at least once every period and is reminded when a check is due."),
    )
    mark_checked = forms.BooleanField(
        label=_("I checked these details today: they are up to date."),
        required=False,
    )

    def __init__(self, *args, user, region, offer: Offer | None = None, **kwargs):
        choices = selectors.municipality_choices(user, region)
        self.other_municipalities = []
        if offer is not None:
            allowed = set(choices.values_list("pk", flat=True))
            self.other_municipalities = [m for m in offer.municipalities.all() if m.pk not in allowed]
            kwargs.setdefault("initial", _initial(offer))
        else:
            initial = {"maintainer": user.pk, "languages": ["nl"], "phases": Phase.values}
            if len(choices) == 1:  # an officer of one municipality: hers
                initial["municipalities"] = [choices[0].pk]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = selectors.provider_organisations(region)
        self.fields["domains"].queryset = selectors.domains_of(region)
        self.fields["municipalities"].queryset = choices
        self.fields["municipalities"].required = not self.other_municipalities
        self.fields["maintainer"].queryset = selectors.possible_maintainers(region)
        self.fields["maintainer"].label_from_instance = lambda u: u.display_name
        if offer is None:
            del self.fields["version"]
            del self.fields["mark_checked"]
        else:
            self.fields["version"].required = True

    def clean(self):
        data = super().clean()
        if not data.get("provider_name") and data.get("provider"):
            data["provider_name"] = data["provider"].name
        if not data.get("provider_name") and "provider_name" not in self.errors:
            self.add_error("provider_name", _("Say who provides the offer."))
        return data

    def offer_data(self) -> OfferData:
        d = self.cleaned_data
        return OfferData.from_cleaned(d, domains=list(d["domains"]), municipalities=list(d["municipalities"]))


def _initial(offer: Offer) -> dict:
    return {
        "version": offer.version,
        "name": offer.name,
        "provider": offer.provider_id,
        "provider_name": offer.provider_name,
        "description": offer.description,
        "target_group": offer.target_group,
        "domains": [d.pk for d in offer.domains.all()],
        "phases": offer.phases,
        "municipalities": [m.pk for m in offer.municipalities.all()],
        "languages": list(offer.languages),
        "costs": offer.costs,
        "costs_note": offer.costs_note,
        "how_to_refer": offer.how_to_refer,
        "contact_person": offer.contact_person,
        "phone": offer.phone,
        "email": offer.email,
        "website": offer.website,
        "typical_wait_weeks": offer.typical_wait_weeks,
        "recognised_intervention": offer.recognised_intervention,
        "maintainer": offer.maintainer_id,
    }


class VersionForm(forms.Form):
    """The version of the offer the person saw, for the buttons that change it."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    dry_run = forms.BooleanField(
        label=_("Only check the file: show what would happen, change nothing"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(mb)s MB. The first row names the columns, as described below.") % {
            "mb": importing.max_upload_mb()
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)s MB.") % {"mb": importing.max_upload_mb()}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
