"""The search form of "Find support": where she lives (postcode or municipality), subject, language, when."""

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

from kansrijk.socialmap.selectors import municipality_for_search

from . import selectors_support as selectors

UNKNOWN_POSTCODE = _("We do not know this postcode here. Check it, or choose your municipality.")
BAD_POSTCODE = _("Fill in a postcode like 6221 AB, or only the four numbers.")
NO_PLACE = _("Fill in your postcode or choose your municipality.")
TWO_PLACES = _("Your postcode is not in the municipality you chose. Fill in only one of the two.")


class LanguageSelect(forms.Select):
    """A language by its own name is marked with its language (`lang`), so a screen reader says it right."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value and selectors.has_own_name(str(value)):
            option["attrs"]["lang"] = str(value)
        return option


class SupportSearchForm(forms.Form):
    #: The names a search link carries (also kept on the way to an offer and back).
    PARAMS = ("postcode", "municipality", "subject", "language", "phase", "page")

    postcode = forms.CharField(
        label=_("Your postcode"),
        help_text=_("For example 6221 AB. The four numbers are enough."),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 8, "spellcheck": "false"}
        ),
    )
    municipality = forms.ModelChoiceField(
        label=_("Or choose your municipality"),
        queryset=None,
        required=False,
        empty_label=_("Choose a municipality"),
    )
    subject = forms.ChoiceField(label=_("What do you need help with?"), required=False)
    language = forms.ChoiceField(label=_("In which language?"), required=False, widget=LanguageSelect)
    phase = forms.ChoiceField(
        label=_("When?"),
        required=False,
        choices=[("", _("Any time")), *selectors.PHASE_LABELS.items()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = selectors.all_municipalities()
        self.fields["subject"].choices = [("", _("All subjects")), *selectors.subject_choices()]
        self.fields["language"].choices = [("", _("Any language")), *selectors.language_choices()]
        self.place = None

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        if not (len(value) == 4 and value.isdigit()):
            try:
                value = stdnum_postcode.validate(value)
            except StdnumError:
                raise forms.ValidationError(BAD_POSTCODE, code="invalid") from None
        self.place = municipality_for_search(value)
        if self.place is None:
            raise forms.ValidationError(UNKNOWN_POSTCODE, code="unknown")
        return value

    def clean(self):
        data = super().clean()
        chosen = data.get("municipality")
        if self.errors:
            return data
        if self.place is not None and chosen is not None and chosen.pk != self.place.pk:
            self.add_error("municipality", forms.ValidationError(TWO_PLACES, code="two_places"))
        elif self.place is None and chosen is None:
            self.add_error("postcode", forms.ValidationError(NO_PLACE, code="required"))
        else:
            self.place = self.place or chosen
        return data
