from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language_info

from kansrijk.accounts.twofactor import requires_two_factor

from .navigation import NavItem, nav_entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if requires_two_factor(user) and not user.is_verified():
        return {"nav_items": []}  # nothing to navigate to before the second step
    entries = [(reverse(name), label) for name, label in nav_entries(user)]
    # The most specific menu entry that holds the current page is the active one.
    matches = [url for url, _ in entries if request.path.startswith(url)]
    current = max(matches, key=len, default=None)
    return {"nav_items": [NavItem(url=url, label=str(label), active=url == current) for url, label in entries]}


def languages(request):
    """The languages the switch offers on this page: all six on the public desk, else Dutch and English."""
    public = getattr(request, "desk_public", False)
    codes = [code for code, _ in settings.LANGUAGES if public or code in settings.KANSRIJK_STAFF_LANGUAGES]
    return {"language_options": [get_language_info(code) | {"code": code} for code in codes]}
