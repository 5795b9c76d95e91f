from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.desk.questionnaire_parent import CHOOSE_AN_ANSWER

from .questionnaires import Questionnaire


class QuestionnaireForm(forms.Form):
    """One field per question: radio buttons for scales and choices, an optional text box for the open one."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for question in questionnaire.questions:
            if question.kind == "text":
                self.fields[question.key] = forms.CharField(
                    label=question.text, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                self.fields[question.key] = forms.ChoiceField(
                    label=question.text,
                    choices=question.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": CHOOSE_AN_ANSWER},
                )


class InvitationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the questionnaire"))

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages
