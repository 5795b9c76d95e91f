"""Sections that other apps add to the case page.

Each entry is the dotted path of a function `(request, case) -> (template, context) | None`.
The case page renders them in this order, between the next step and the referrals.
"""

from django.utils.module_loading import import_string

SECTIONS = [
    "kansrijk.desk.sections.case_section",
    "kansrijk.care.sections.case_section",
    "kansrijk.followup.sections.case_section",
    "kansrijk.feedback.sections.case_section",
]


def case_sections(request, case) -> list[tuple[str, dict]]:
    rendered = []
    for path in SECTIONS:
        section = import_string(path)(request, case)
        if section is not None:
            rendered.append(section)
    return rendered
