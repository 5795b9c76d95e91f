"""The two questionnaires, versioned. The parents' texts are in kansrijk/desk/questionnaire_parent.py (six
languages); the professionals' here (Dutch and English, like every staff page)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kansrijk.desk import questionnaire_parent as parent

PARENT, PROFESSIONAL = "parent", "professional"

SCALE = [
    ("1", _("1 – do not agree at all")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – fully agree")),
]


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # "scale", "choice" or "text"
    text: str
    choices: list | None

    @property
    def required(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Questionnaire:
    key: str
    version: int
    questions: list

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)


PARENT_QUESTIONNAIRE = Questionnaire(
    PARENT, parent.VERSION, [Question(key, kind, text, choices) for key, kind, text, choices in parent.QUESTIONS]
)
PROFESSIONAL_QUESTIONNAIRE = Questionnaire(
    PROFESSIONAL,
    1,
    [
        Question("referring", "scale", _("Referring a woman to the JGZ is easy."), SCALE),
        Question("feedback", "scale", _("Feedback from the JGZ arrives in time."), SCALE),
        Question("follow_up", "scale", _("Follow-up support starts in time."), SCALE),
        Question("social_map", "scale", _("The social map is up to date."), SCALE),
        Question("together", "scale", _("We work well together in the chain around the pregnant woman."), SCALE),
        Question("better", "text", _("What could be better? You may leave this empty."), None),
    ],
)
QUESTIONNAIRES = {PARENT: PARENT_QUESTIONNAIRE, PROFESSIONAL: PROFESSIONAL_QUESTIONNAIRE}
