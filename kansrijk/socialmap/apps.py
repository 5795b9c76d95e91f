from django.apps import AppConfig


class SocialmapConfig(AppConfig):
    name = "kansrijk.socialmap"
    label = "socialmap"
