from urllib.parse import quote

from django.shortcuts import redirect
from django.urls import reverse

from .twofactor import requires_two_factor

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class RequireTwoFactorMiddleware:
    """With KANSRIJK_REQUIRE_2FA on, roles that see client data must pass TOTP first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not request.path.startswith(EXEMPT_PREFIXES) and requires_two_factor(user) and not user.is_verified():
            return redirect(f"{reverse('two_factor')}?next={quote(request.get_full_path(), safe='/')}")
        return self.get_response(request)
