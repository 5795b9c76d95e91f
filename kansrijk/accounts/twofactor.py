"""TOTP two-factor login with django-otp: enrolment by QR code and verification."""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk import access
from kansrijk.organisations.models import CLIENT_DATA_ROLES


def requires_two_factor(user) -> bool:
    if not getattr(settings, "KANSRIJK_REQUIRE_2FA", False) or not user.is_authenticated:
        return False
    return user.is_staff or bool(access.roles(user) & CLIENT_DATA_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled; created on first visit, reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Kansrijk", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
