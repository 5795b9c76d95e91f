"""The self-registration form of the public desk: short, kind to phones, and clear about mistakes.

Dates are three small boxes (day, month, year) in a fieldset rather than a date picker: easier
with a thumb, and the phone shows its number keys. The checks on postcode, date of birth and
due date are those of the professionals' referral form, with words for the woman herself.
"""

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from kansrijk.clients.models import Language
from kansrijk.organisations.models import Municipality
from kansrijk.organisations.selectors import municipality_for_postcode
from kansrijk.referrals.forms import clean_postcode

from .models import ContactChannel, ContactTime, SelfRegistration
from .public import HoneypotMixin, clean_phone_number

NOTE_MAX = SelfRegistration._meta.get_field("contact_note").max_length  # 300
WORRIES_MAX = 2000

#: What a phone number may hold: digits, spaces, "+" and "-" (e.g. "+31 6-1234 5678").


class PlainTextField(forms.CharField):
    """Typed text with Windows line ends made plain (a browser counts "\\r\\n" as one character)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


# --- A date as day, month and year -----------------------------------------------------------


# Postcode, phone number and e-mail address are written left to right, also on the Arabic page
# (`dir="ltr"` on the input keeps "6211 AB" and "+31 6 …" in their order).


class DatePartsWidget(forms.MultiWidget):
    """Three number boxes, each with its own label; rendered inside the field's fieldset."""

    template_name = "desk/register/widgets/date_parts.html"
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, autocomplete: str | None = None, attrs=None):
        widgets = {}
        for part, _label, size in self.PARTS:
            part_attrs = {"inputmode": "numeric", "maxlength": str(size), "size": str(size), "pattern": "[0-9]*"}
            part_attrs["autocomplete"] = f"{autocomplete}-{part}" if autocomplete else "off"
            widgets[part] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (part, label, _size) in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            subwidget["part"] = part
            subwidget["label"] = label
        return context


class DatePartsField(forms.Field):
    """A date typed as day, month and year. Messages say which part is missing or wrong."""

    widget = DatePartsWidget
    default_error_messages = {
        "required": _("Fill in the day, the month and the year."),
        "incomplete": _("Fill in the day, the month and the year."),
        "invalid": _("Fill in the date in numbers, for example 15 3 2026."),
        "year": _("Fill in the year with 4 numbers, for example 2026."),
        "impossible": _("This date does not exist. Check the day and the month."),
    }

    def __init__(self, *, autocomplete: str | None = None, **kwargs):
        kwargs.setdefault("widget", DatePartsWidget(autocomplete=autocomplete))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = [(p or "").strip() for p in (value or [])] if isinstance(value, (list, tuple)) else []
        if not any(parts):
            return None
        if len(parts) != 3 or not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["impossible"], code="impossible") from None


# --- Her language ----------------------------------------------------------------------------


class LanguageSelect(forms.Select):
    """Options that name a language in that language carry its `lang` (read out correctly)."""

    def __init__(self, *args, own_name_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.own_name_codes = set(own_name_codes)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.own_name_codes:
            option["attrs"]["lang"] = value
        return option


def language_choices() -> tuple[list[tuple[str, str]], set[str]]:
    """The languages of `Language`, each by its own name where Django knows it ("Türkçe", "العربيّة").

    Returns the choices and the codes labelled in their own language. The others (Tigrinya,
    Tamazight, "another language") keep their label, in the language of the page.
    """
    choices, own = [], set()
    for code, label in Language.choices:
        try:
            name = get_language_info(code)["name_local"]
        except KeyError:
            choices.append((code, label))
        else:
            choices.append((code, capfirst(name)))
            own.add(code)
    return choices, own


def default_language() -> str:
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in Language.values else Language.DUTCH


# --- The form --------------------------------------------------------------------------------


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class RegisterForm(HoneypotMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Fill in your first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Fill in your last name.")},
    )
    date_of_birth = DatePartsField(
        label=_("Your date of birth"),
        autocomplete="bday",
        help_text=_("For example 15 3 1995."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        help_text=_("For example 6211 AB. Then the JGZ near you gets your registration."),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "size": "8", "dir": "ltr"}
        ),
        error_messages={"required": _("Fill in your postcode.")},
    )
    contact_channel = forms.ChoiceField(
        label=_("How do you want us to contact you?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we can contact you.")},
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=30,
        help_text=_("Needed for a phone call, a text message or WhatsApp. For example 06 12345678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        max_length=254,
        help_text=_("Needed if you chose e-mail. Otherwise you may skip it. We send your reference to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "dir": "ltr"}),
        error_messages={"invalid": _("Fill in an e-mail address like name@example.nl.")},
    )
    contact_times = forms.MultipleChoiceField(
        label=_("When can we best reach you?"),
        choices=ContactTime.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick one or more. Tick nothing if any time is fine."),
    )
    contact_note = forms.CharField(
        label=_("Anything else about contacting you? (you may skip this)"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("For example: not on Wednesday, or call my sister first."),
    )
    language = forms.ChoiceField(
        label=_("Which language do you speak best?"),
        widget=LanguageSelect,
        help_text=_("We try to speak with you in this language."),
        error_messages={"required": _("Choose a language."), "invalid_choice": _("Choose a language from the list.")},
    )
    interpreter_needed = forms.ChoiceField(
        label=_("Do you need an interpreter?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    due_date = DatePartsField(
        label=_("When is your baby due?"),
        help_text=_("The date your midwife or doctor told you. Not sure? Fill in your best guess."),
    )
    worries = PlainTextField(
        label=_("Is there something on your mind? (you may skip this)"),
        required=False,
        max_length=WORRIES_MAX,
        help_text=_("You do not have to write anything here. At most 2000 characters."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the JGZ keeps my details and contacts me."),
        error_messages={"required": _("Tick this box if you agree. Without it, we may not contact you.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices, own = language_choices()
        field = self.fields["language"]
        field.choices = choices
        field.widget.own_name_codes = own
        field.initial = default_language()
        # A maximum length is a hint, not a wall: a longer text gets a clear message instead of being cut off.
        self.fields["worries"].widget.attrs.pop("maxlength", None)
        self.fields["worries"].error_messages["max_length"] = _(
            "Please write at most %(limit_value)d characters (you wrote %(show_value)d)."
        )

    #: The id of the plain-words explanation shown right above the consent box.
    CONSENT_TEXT_ID = "register-consent-text"

    @property
    def consent_input(self) -> str:
        """The consent checkbox, described by the explanation above it (and by its error)."""
        field = self["consent"]
        described_by = [self.CONSENT_TEXT_ID] + ([f"{field.auto_id}_error"] if field.errors else [])
        return field.as_widget(attrs={"aria-describedby": " ".join(described_by)})

    # --- Fields ---

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_postcode(self) -> str:
        try:
            postcode = clean_postcode(self.cleaned_data.get("postcode", ""))
        except forms.ValidationError:
            raise forms.ValidationError(_("Fill in a Dutch postcode, like 6211 AB."), code="invalid") from None
        if municipality_for_postcode(postcode) is None:
            raise unserved_postcode_error()
        return postcode

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean_date_of_birth(self) -> date:
        value = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("This date is in the future. Fill in the day you were born."), code="future")
        age = (today - value).days / 365.25
        if age < 10 or age > 60:
            raise forms.ValidationError(_("Check your date of birth. Is the year right?"), code="implausible")
        return value

    def clean_due_date(self) -> date:
        value = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(
                _(
                    "This date has passed. Is your baby already born? Congratulations! Then the "
                    "consultation office (consultatiebureau) is the place for you. Or check the date."
                ),
                code="past",
            )
        weeks = settings.KANSRIJK_MAX_WEEKS_UNTIL_DUE
        if value > today + timedelta(weeks=weeks):
            raise forms.ValidationError(
                _("This date is more than %(weeks)s weeks away. Check the date."),
                code="far",
                params={"weeks": weeks},
            )
        return value

    def clean_interpreter_needed(self) -> bool:
        return self.cleaned_data["interpreter_needed"] == "yes"

    def clean_worries(self) -> str:
        return self.cleaned_data.get("worries", "").strip()

    def clean_contact_note(self) -> str:
        return " ".join(self.cleaned_data.get("contact_note", "").split())

    def clean(self):
        data = super().clean()
        channel = data.get("contact_channel")
        if (
            channel in (ContactChannel.PHONE, ContactChannel.TEXT)
            and not data.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", forms.ValidationError(_("Fill in your phone number."), code="required"))
        if channel == ContactChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", forms.ValidationError(_("Fill in your e-mail address."), code="required"))
        return data


def unserved_postcode_error() -> forms.ValidationError:
    """Her postcode lies in no municipality of any region: name the ones the desk serves."""
    return forms.ValidationError(
        _(
            "This postcode is not in a municipality we work for. We work for: %(municipalities)s. "
            "Do you live somewhere else? Then ask your midwife or doctor about a home visit."
        ),
        code="unserved",
        params={"municipalities": ", ".join(served_municipalities())},
    )


def served_municipalities() -> list[str]:
    """The names of the municipalities the desk serves: every one with postcodes, in every region."""
    return list(
        Municipality.objects.filter(postcode_ranges__isnull=False)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
