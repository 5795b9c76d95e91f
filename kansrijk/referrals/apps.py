from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "kansrijk.referrals"
    label = "referrals"
