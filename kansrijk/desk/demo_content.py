"""Demo data for the desk's pages and questions and answers: the texts of kansrijk/desk/content/.

Idempotent (a second run changes nothing) and never replaces a text an administrator changed.
"""

from kansrijk.desk.content import load_content


def load(context) -> None:
    load_content()
