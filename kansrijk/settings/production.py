"""Strict settings for real deployments: `manage.py check --deploy` is clean."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
KANSRIJK_REQUIRE_2FA = env.bool("KANSRIJK_REQUIRE_2FA", default=True)
KANSRIJK_ALLOW_TEST_BSN = False
KANSRIJK_BEHIND_PROXY = env.bool("KANSRIJK_BEHIND_PROXY", default=True)

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# Persistent database connections: a request does not pay for opening one (6 ms on the bench machine with
# PostgreSQL on the same host; more with TLS and password authentication: a tenth of a figures page). Each is
# checked before it is used again, so one the database has closed meanwhile is replaced instead of failing the
# request. A new dict: base's stays as it is.
DATABASES = {
    **DATABASES,
    "default": {
        **DATABASES["default"],
        "CONN_MAX_AGE": env.int("DJANGO_CONN_MAX_AGE", default=600),
        "CONN_HEALTH_CHECKS": True,
    },
}
# The public forms' rate limits must be counted in one place for all gunicorn workers: the
# database cache by default (its table is made by `migrate`), or Redis via CACHE_URL.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://kansrijk_cache")}
