"""The parents' questionnaire after the home visit: its texts live in the desk app because the desk speaks the
six public languages (its catalogues hold these strings). The evaluation app stores and counts the answers."""

from django.utils.translation import gettext_lazy as _

SCALE = [
    ("1", _("1 – not at all")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – very much")),
]
YES_NO = [("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))]
RECOMMEND = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))]

#: (key, kind, question, choices): kind "scale" (1–5), "choice" or "text" (optional, free).
QUESTIONS = [
    ("listened", "scale", _("Did the nurse listen to what matters to you?"), SCALE),
    ("clear", "scale", _("Is it clear to you what happens next?"), SCALE),
    ("helped", "scale", _("Did the visit help you find support?"), SCALE),
    ("language", "choice", _("Could you talk in a language you understand well?"), YES_NO),
    ("recommend", "choice", _("Would you recommend the visit to another pregnant woman?"), RECOMMEND),
    ("better", "text", _("What could be better? You may leave this empty."), None),
]
VERSION = 1

#: The card the nurse hands over (printed in the family's language).
CARD_TITLE = _("How was the home visit?")
CARD_TEXT = _("Tell us in 2 minutes. Your answers are anonymous.")
#: The message at a question left open (the form is shown in the family's language).
CHOOSE_AN_ANSWER = _("Choose an answer.")
