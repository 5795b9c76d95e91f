"""Self-registration at the public desk (no login, six languages).

`register` shows the form and stores a registration once per submission key; `register_done`
is the confirmation, reached with a signed token holding the reference. The confirmation shows
the reference and what happens next, never personal data.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from .forms_register import RegisterForm, unserved_postcode_error
from .models import ContactChannel, SelfRegistration
from .public import HONEYPOT_MESSAGE, RATE_LIMIT_MESSAGE, public_form, public_page, submission_key_from
from .selectors_pages import page_text
from .services_register import register_self

TOKEN_SALT = "kansrijk.desk.register"
INTRO_SLUG = "register"


def done_token(reference: str) -> str:
    return signing.dumps(reference, salt=TOKEN_SALT)


@public_form("register")
@require_http_methods(["GET", "POST"])
def register(request):
    status = 200
    rate_limited = False
    submission_key = submission_key_from(request)
    if request.method == "POST":
        form = RegisterForm(request.POST)
        stored = SelfRegistration.objects.filter(submission_key=submission_key).values_list("reference", flat=True)
        if request.limited and stored:
            # This very form was already accepted (a second click): show its confirmation, store nothing.
            return redirect("desk:register_done", token=done_token(stored[0]))
        if request.limited:
            form.is_valid()  # show what is wrong as well, but store nothing
            rate_limited = True
            status = 429
        elif form.is_valid():
            try:
                result = register_self(
                    request, data=form.cleaned_data, submission_key=submission_key, language=get_language()
                )
            except ValidationError:
                # Her postcode lost its municipality between the check and the save: say so at the field.
                form.add_error("postcode", unserved_postcode_error())
            else:
                return redirect("desk:register_done", token=done_token(result.registration.reference))
    else:
        form = RegisterForm()
    intro, intro_is_fallback = page_text(INTRO_SLUG)
    return render(
        request,
        "desk/register/form.html",
        {
            "form": form,
            "submission_key": submission_key,
            "intro": intro,
            "intro_is_fallback": intro_is_fallback,
            "rate_limit_message": RATE_LIMIT_MESSAGE if rate_limited else None,
            "honeypot_message": HONEYPOT_MESSAGE if "website" in form.errors else None,
            "contact_days": settings.KANSRIJK_SELF_REGISTRATION_CONTACT_DAYS,
        },
        status=status,
    )


@public_page
@require_http_methods(["GET"])
def register_done(request, token: str):
    try:
        reference = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise Http404 from None
    registration = (
        SelfRegistration.objects.filter(reference=reference).values("contact_channel", "confirmation_sent_at").first()
    )
    if registration is None:
        raise Http404
    return render(
        request,
        "desk/register/done.html",
        {
            "reference": reference,
            "channel": registration["contact_channel"],
            "channels": ContactChannel,
            "confirmation_sent": registration["confirmation_sent_at"] is not None,
            "contact_days": settings.KANSRIJK_SELF_REGISTRATION_CONTACT_DAYS,
        },
    )
