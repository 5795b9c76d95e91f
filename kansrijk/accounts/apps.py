from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "kansrijk.accounts"
    label = "accounts"

    def ready(self):
        from .middleware import session_saved_at_login

        user_logged_in.connect(session_saved_at_login, dispatch_uid="kansrijk-session-saved-at-login")
