"""The forms of the vraagbaak: the public question form and the staff's answer and set-aside forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Municipality

from .models import AnswerChannel, AskerKind, Question
from .public import HoneypotMixin, clean_phone_number

QUESTION_MAX = Question._meta.get_field("text").max_length  # 2000
ANSWER_MAX = Question._meta.get_field("answer").max_length  # 4000
REASON_MAX = 300

#: What a phone number may hold: digits, spaces, "+" and "-" (e.g. "+31 6-1234 5678").


class PlainTextField(forms.CharField):
    """Text typed in a textarea, with Windows line ends made plain first.

    A browser counts a line break as one character for `maxlength` but sends "\\r\\n"; without
    this a question of exactly the allowed length would be refused as too long.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


class AskForm(HoneypotMixin, forms.Form):
    asker_kind = forms.ChoiceField(
        label=_("Who are you?"),
        choices=AskerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you are.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=Question._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Fill in your name.")},
    )
    channel = forms.ChoiceField(
        label=_("How do you want the answer?"),
        choices=AnswerChannel.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "By e-mail: please do not write anything about your health or medical details. "
            "We can talk about that on the phone."
        ),
        error_messages={"required": _("Choose how you want the answer.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Only needed for an answer by e-mail."),
        max_length=Question._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "dir": "ltr"}),
        error_messages={"invalid": _("Fill in an e-mail address like name@example.nl.")},
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        help_text=_("Only needed for an answer by phone. For example 06 12345678."),
        max_length=Question._meta.get_field("phone").max_length,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    text = PlainTextField(
        label=_("Your question"),
        max_length=QUESTION_MAX,
        help_text=_("At most 2000 characters."),
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Write your question.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("Your municipality (you may skip this)"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("I'd rather not say / not listed"),
        help_text=_("Then the JGZ of your municipality answers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name", "pk")
        # The maximum length is a hint, not a wall: a longer text gets a clear message instead.
        self.fields["text"].widget.attrs.pop("maxlength", None)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write your question."), code="required")
        return text

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == AnswerChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", forms.ValidationError(_("Fill in your e-mail address."), code="required"))
        if channel == AnswerChannel.PHONE and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", forms.ValidationError(_("Fill in your phone number."), code="required"))
        # Keep only the address the answer goes to: nothing more is stored than is needed.
        if channel == AnswerChannel.EMAIL:
            data["phone"] = ""
        elif channel == AnswerChannel.PHONE:
            data["email"] = ""
        return data


class _GuardedForm(forms.Form):
    """A staff form on one question: carries the version she saw, so a second person is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AnswerForm(_GuardedForm):
    answer = PlainTextField(
        label=_("Answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the answer.")},
    )

    def __init__(self, *args, channel: str = AnswerChannel.EMAIL, **kwargs):
        super().__init__(*args, **kwargs)
        # The note above it (where the answer goes, what not to add) is read with the field.
        self.fields["answer"].widget.attrs["aria-describedby"] = "answer-channel-note"
        if channel == AnswerChannel.PHONE:
            self.fields["answer"].label = _("What you answered on the phone")
            self.fields["answer"].error_messages["required"] = _("Note what you answered.")

    def full_clean(self):
        super().full_clean()
        if self._errors and "answer" in self._errors:
            error_id = f"{self['answer'].auto_id}_error"
            self.fields["answer"].widget.attrs["aria-describedby"] = f"answer-channel-note {error_id}"

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(self.fields["answer"].error_messages["required"], code="required")
        return answer


class SetAsideForm(_GuardedForm):
    reason = forms.CharField(
        label=_("Why do you set it aside?"),
        max_length=REASON_MAX,
        help_text=_("For example: spam, or not a question for the JGZ. The asker gets no message."),
        error_messages={"required": _("Give a short reason.")},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give a short reason."), code="required")
        return reason
