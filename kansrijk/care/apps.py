from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "kansrijk.care"
    label = "care"
