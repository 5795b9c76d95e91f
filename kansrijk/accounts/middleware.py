from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

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


class SessionActivityMiddleware:
    """Keeps a logged-in session alive while it is used, writing it at most once a minute.

    An idle session ends `SESSION_COOKIE_AGE` (30 minutes) after it was last saved. Django's
    `SESSION_SAVE_EVERY_REQUEST` would save it on every page view: a database write (and commit) per click.
    Here it is saved when `KANSRIJK_SESSION_REFRESH_SECONDS` (60) have passed since it last was, so a session
    ends between 29 and 30 minutes after the last request, never later. A visitor without a session (the public
    desk) gets none. Placed right after Django's SessionMiddleware, which saves what this marks."""

    KEY = "_kansrijk_saved_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.modified or session.session_key:
            now = int(timezone.now().timestamp())
            due = session.modified or now - session.get(self.KEY, 0) >= settings.KANSRIJK_SESSION_REFRESH_SECONDS
            # (Empty once loaded: an expired or logged-out session, which must not come back.)
            if due and not session.is_empty():
                session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response


def session_saved_at_login(sender, request, user, **kwargs) -> None:
    """Logging in saves the session: it counts as its last save, so the next minute's pages write nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionActivityMiddleware.KEY] = int(timezone.now().timestamp())
