"""The desk's part of the demo region: its texts in six languages, plain names of the subjects,
two women who registered themselves and questions in the vraagbaak. Each part is idempotent."""

from django.utils.module_loading import import_string

PARTS = [
    "kansrijk.desk.demo_content.load",
    "kansrijk.desk.demo_support.load",
    "kansrijk.desk.demo_register.load",
    "kansrijk.desk.demo_questions.load",
]


def load(context) -> None:
    for path in PARTS:
        import_string(path)(context)
