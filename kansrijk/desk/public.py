"""What every public desk page and form shares: marking views public, abuse limits, idempotent submits.

- `public_page` marks a view as part of the public desk: it may be shown in all six languages
  (the professionals' pages fall back to Dutch when another language was chosen).
- `public_form` guards a POST: a body larger than `KANSRIJK_PUBLIC_MAX_BODY` is refused with a
  clear page (413), and posts beyond `KANSRIJK_PUBLIC_FORM_RATE` per client address set
  `request.limited`, so the view shows the form again, filled in, with a message (429).
- `HoneypotMixin` adds a field people never see or fill; a form with it filled is refused.
- `submission_key_from` reads the hidden key that makes a twice-submitted form store once.
"""

import re
import uuid
from functools import wraps

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from kansrijk.audit.services import client_ip


def public_page(view):
    """Mark a view as a public desk page (six languages, no login)."""
    view.desk_public = True
    return view


def ip_key(group, request) -> str:
    """The rate-limit key: the client address (behind our proxy, the one it saw)."""
    return client_ip(request) or "unknown"


def public_form(group: str):
    """Decorator for a public view with a form: size limit and rate limit per address on POST.

    The view is also marked public. On POST it finds `request.limited` set when the address
    has sent more than the allowed number of forms; it must then render the form again with
    the posted data and `RATE_LIMIT_MESSAGE`, with status 429, and store nothing.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.limited = False
            if request.method == "POST":
                length = int(request.META.get("CONTENT_LENGTH") or 0)
                if length > settings.KANSRIJK_PUBLIC_MAX_BODY:
                    return render(request, "desk/too_large.html", status=413)
                request.limited = is_ratelimited(
                    request,
                    group=f"desk-{group}",
                    key=ip_key,
                    rate=settings.KANSRIJK_PUBLIC_FORM_RATE,
                    method="POST",
                    increment=True,
                )
            return view(request, *args, **kwargs)

        return public_page(wrapped)

    return decorator


RATE_LIMIT_MESSAGE = _(
    "You have sent many forms in a short time, so we cannot accept this one now. "
    "Nothing you typed is lost: please try again in an hour, or call us."
)
HONEYPOT_MESSAGE = _("This form could not be sent. Please leave the last field empty and try again.")


class HoneypotMixin(forms.Form):
    """A field hidden from people (and from screen readers); robots that fill every field fill it.

    Render it with `{% include "desk/includes/honeypot.html" %}` as the form's last field.
    """

    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200, widget=forms.TextInput()
    )

    def clean_website(self):
        value = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        return value


_PHONE_CHARACTERS = re.compile(r"^[0-9 +\-]+$")
PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 10, 15


def clean_phone_number(value: str) -> str:
    """A phone number as a visitor typed it, spaces folded: digits, spaces, + and -, 10 to 15 digits."""
    phone = " ".join((value or "").split())
    if not phone:
        return ""
    digits = sum(ch.isdigit() for ch in phone)
    if not _PHONE_CHARACTERS.match(phone) or not PHONE_DIGITS_MIN <= digits <= PHONE_DIGITS_MAX:
        raise forms.ValidationError(
            _("Fill in a phone number of 10 to 15 numbers, like 06 12345678 or +31 6 12345678."), code="invalid"
        )
    return phone


def submission_key_from(request) -> uuid.UUID:
    """The form's hidden `submission_key`, or a fresh one when missing or malformed."""
    raw = request.POST.get("submission_key", "") if request.method == "POST" else ""
    try:
        return uuid.UUID(raw)
    except ValueError:
        return uuid.uuid4()
