from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kansrijk.cases"
    label = "cases"
