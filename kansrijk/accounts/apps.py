from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kansrijk.accounts"
    label = "accounts"
