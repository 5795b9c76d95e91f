from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "kansrijk.feedback"
    label = "feedback"
