"""The editor's forms: a page's text, a FAQ item's question and answer, a new FAQ item.

The text fields carry the `lang` and `dir` of the language being edited, so a screen reader
reads them right and Arabic is typed right to left.
"""

from django import forms
from django.utils.translation import get_language_bidi, override
from django.utils.translation import gettext_lazy as _

from .models import Audience, FaqItem, FaqText, PageText

# The editor's messages (staff pages: Dutch and English only, so kept out of the public desk's catalogue).
SAVED = _("Saved. The desk shows the new text now.")
CONFLICT = _(
    "Someone else saved this text while you were working on it. Nothing was saved: "
    "your text is still in the form. Compare it with the saved text below; "
    "if you save again, your text replaces it."
)
SHOWN = _("“%(name)s” is shown on the desk.")
HIDDEN = _("“%(name)s” is no longer shown on the desk.")
QUESTION_ADDED = _("The question is added. Now write it in Dutch.")

MARKDOWN_HELP = _(
    "Write plain text. Start a new paragraph with an empty line. "
    "## at the start of a line makes a heading (### a smaller one); "
    "- at the start of a line makes a list item; **word** makes a word bold; "
    "[text](/zelf-aanmelden/) makes a link. Other HTML, images and scripts are removed."
)


def text_direction(language: str) -> str:
    with override(language):
        return "rtl" if get_language_bidi() else "ltr"


class _TextForm(forms.Form):
    """Shared: the version the person opened (0: the text did not exist yet), and lang/dir on the fields."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text_fields: tuple[str, ...] = ()

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.direction = text_direction(language)
        for name in self.text_fields:
            self.fields[name].widget.attrs.update({"lang": language, "dir": self.direction})


class PageTextForm(_TextForm):
    title = forms.CharField(label=_("Title"), max_length=PageText._meta.get_field("title").max_length)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=PageText._meta.get_field("summary").max_length,
        help_text=_("One or two sentences, shown under the title and in search engines."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=PageText._meta.get_field("body").max_length,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 24, "class": "desk-editor__body"}),
    )
    text_fields = ("title", "summary", "body")

    @staticmethod
    def initial_for(text: PageText | None) -> dict:
        if text is None:
            return {"version": 0}
        return {"version": text.version, "title": text.title, "summary": text.summary, "body": text.body}


class FaqTextForm(_TextForm):
    question = forms.CharField(label=_("Question"), max_length=FaqText._meta.get_field("question").max_length)
    answer = forms.CharField(
        label=_("Answer"),
        max_length=FaqText._meta.get_field("answer").max_length,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 12, "class": "desk-editor__body"}),
    )
    text_fields = ("question", "answer")

    @staticmethod
    def initial_for(text: FaqText | None) -> dict:
        if text is None:
            return {"version": 0}
        return {"version": text.version, "question": text.question, "answer": text.answer}


class NewFaqItemForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=FaqItem._meta.get_field("key").max_length,
        help_text=_("A short name in lower case letters and hyphens, e.g. “parking”. It cannot be changed later."),
    )
    audience = forms.ChoiceField(label=_("For"), choices=Audience.choices, widget=forms.RadioSelect)
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        initial=100,
        help_text=_("Questions with a lower number come first."),
    )
    is_published = forms.BooleanField(label=_("Show it on the desk once it has a text"), required=False, initial=True)

    def clean_key(self):
        key = self.cleaned_data["key"].lower()
        if FaqItem.objects.filter(key=key).exists():
            raise forms.ValidationError(_("There is already a question with this key."))
        return key
