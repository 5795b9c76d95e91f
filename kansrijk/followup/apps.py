from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "kansrijk.followup"
    label = "followup"
