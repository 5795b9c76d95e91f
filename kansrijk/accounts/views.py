from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from .forms import TokenForm
from .twofactor import confirmed_device, enrolment_device, qr_svg


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def two_factor(request):
    """Ask for the TOTP code; without a device yet, enrol first."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"/accounts/2fa/instellen/?next={quote(_next(request), safe='/')}")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_setup(request):
    if confirmed_device(request.user) is not None:
        return redirect("two_factor")
    device = enrolment_device(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next(request))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_svg(device),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )
