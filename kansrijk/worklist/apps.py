from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "kansrijk.worklist"
    label = "worklist"
