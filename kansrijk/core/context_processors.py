from django.urls import reverse

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
