"""Settings for Kansrijk, read from the environment with safe local defaults.

One base module; `production` tightens it, `test` speeds it up.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-demo-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "kansrijk.core",
    "kansrijk.accounts",
    "kansrijk.organisations",
    "kansrijk.clients",
    "kansrijk.referrals",
    "kansrijk.cases",
    "kansrijk.audit",
    "kansrijk.socialmap",
    "kansrijk.care",
    "kansrijk.followup",
    "kansrijk.feedback",
    "kansrijk.worklist",
    "kansrijk.desk",
    "kansrijk.monitoring",
    "kansrijk.agreements",
    "kansrijk.evaluation",
    "kansrijk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kansrijk.accounts.middleware.SessionActivityMiddleware",
    "kansrijk.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kansrijk.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kansrijk.audit.middleware.AuditDeniedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kansrijk.urls"
WSGI_APPLICATION = "kansrijk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kansrijk.core.context_processors.navigation",
                "kansrijk.core.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Storage is SSD: random reads cost about as much as sequential ones. With PostgreSQL's default (4.0) the
    # planner scans whole tables for the figures instead of following a municipality's cases through the
    # indexes, and the figures pages slow down as the country's data grows (docs/benchmarks.md).
    # No parallel workers per query: a page runs many small queries, and starting a worker costs more than it
    # saves (measured: the quarter dashboard at national size 100 → 57 ms of SQL); the cores serve requests.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options",
        env("KANSRIJK_PG_OPTIONS", default="-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"),
    )
# Every request runs in one transaction, so a read of client data and its
# NEN 7513 audit row are committed together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without activity: a session in use is saved again at most once a minute
# (accounts.middleware.SessionActivityMiddleware), so it ends 29 to 30 minutes after the last request.
SESSION_COOKIE_AGE = env.int("KANSRIJK_SESSION_IDLE_SECONDS", default=30 * 60)
KANSRIJK_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout against password guessing (django-axes).
AXES_FAILURE_LIMIT = env.int("KANSRIJK_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address", "username"]]
# The login form posts the e-mail address as "username" (Django's AuthenticationForm);
# axes would otherwise look for USERNAME_FIELD ("email"), find nothing and lock nobody.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kansrijk.accounts.models.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor login (TOTP) for every role that sees client data.
KANSRIJK_REQUIRE_2FA = env.bool("KANSRIJK_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Kansrijk"

LANGUAGE_CODE = "nl"
# The public desk speaks six languages; the professionals' pages Dutch and English.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]
KANSRIJK_STAFF_LANGUAGES = ["nl", "en"]
# The language switch is remembered for a year (a strictly necessary cookie: it holds only the choice).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@kansrijk.invalid")

# Content security policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# The home visit and what follows (issue 3): configurable rules.
KANSRIJK_UNREACHABLE_ATTEMPTS = env.int("KANSRIJK_UNREACHABLE_ATTEMPTS", default=3)
KANSRIJK_UNREACHABLE_DAYS = env.int("KANSRIJK_UNREACHABLE_DAYS", default=14)
KANSRIJK_STAGNATION_DAYS = env.int("KANSRIJK_STAGNATION_DAYS", default=14)
# Figure queries built once per shape and run again with each page's values (monitoring/compiled.py). Off: every
# query is built anew by the ORM, with the same figures (to compare, docs/benchmarks.md).
KANSRIJK_COMPILED_QUERIES = env.bool("KANSRIJK_COMPILED_QUERIES", default=True)
# Each municipality's hidden cells on a page of several, kept for the same query rows (monitoring/kept_parts.py).
# Off: they are worked out anew on every page, with the same figures.
KANSRIJK_KEEP_PART_LABELS = env.bool("KANSRIJK_KEEP_PART_LABELS", default=True)
# A page's figures kept for the same query rows, which run again on every request (monitoring/kept_figures.py).
# Off: the figures are built anew on every page, with the same figures.
KANSRIJK_KEEP_FIGURES = env.bool("KANSRIJK_KEEP_FIGURES", default=True)
KANSRIJK_OFFER_CHECK_DAYS = env.int("KANSRIJK_OFFER_CHECK_DAYS", default=365)
KANSRIJK_DUE_SOON_WEEKS = env.int("KANSRIJK_DUE_SOON_WEEKS", default=8)

# Behind a reverse proxy the audit log takes the client address from X-Forwarded-For.
KANSRIJK_BEHIND_PROXY = env.bool("KANSRIJK_BEHIND_PROXY", default=False)

# The public desk (issue 4): abuse limits without third-party captcha.
# Rate per client address for each public form (django-ratelimit syntax: count/period).
KANSRIJK_PUBLIC_FORM_RATE = env("KANSRIJK_PUBLIC_FORM_RATE", default="10/h")
# Largest accepted body of a public form post, in bytes.
KANSRIJK_PUBLIC_MAX_BODY = env.int("KANSRIJK_PUBLIC_MAX_BODY", default=32 * 1024)
# Working days within which the JGZ contacts a woman who registered herself (told to her).
KANSRIJK_SELF_REGISTRATION_CONTACT_DAYS = env.int("KANSRIJK_SELF_REGISTRATION_CONTACT_DAYS", default=5)
# Working days within which the desk promises an answer to a question.
KANSRIJK_QUESTION_ANSWER_DAYS = env.int("KANSRIJK_QUESTION_ANSWER_DAYS", default=3)
# The cache counts form posts per address. One process (runserver): local memory is enough;
# production settings share the database cache between workers (or CACHE_URL=redis://…).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kansrijk")}
RATELIMIT_USE_CACHE = "default"

# Monitoring (issue 5): counts below this are shown as "< N", with secondary suppression.
KANSRIJK_SMALL_NUMBER_THRESHOLD = env.int("KANSRIJK_SMALL_NUMBER_THRESHOLD", default=5)
# Lead-time norms in days (share of cases within the norm): referral → assigned, → first contact, → first visit.
KANSRIJK_NORM_ASSIGN_DAYS = env.int("KANSRIJK_NORM_ASSIGN_DAYS", default=3)
KANSRIJK_NORM_CONTACT_DAYS = env.int("KANSRIJK_NORM_CONTACT_DAYS", default=7)
KANSRIJK_NORM_VISIT_DAYS = env.int("KANSRIJK_NORM_VISIT_DAYS", default=28)
# An agreement's review is "due soon" this many days before its review date.
KANSRIJK_AGREEMENT_REVIEW_NOTICE_DAYS = env.int("KANSRIJK_AGREEMENT_REVIEW_NOTICE_DAYS", default=30)
# The address of this installation, for links in e-mails sent outside a request (reminders).
KANSRIJK_BASE_URL = env("KANSRIJK_BASE_URL", default="http://127.0.0.1:8000")

# Domain settings.
KANSRIJK_MAX_WEEKS_UNTIL_DUE = 43  # a due date further away than this is impossible
KANSRIJK_PREGNANCY_WEEKS = 40
# BSNs of the RvIG test range (9999xxxxx) are refused unless allowed (demo and tests only).
KANSRIJK_ALLOW_TEST_BSN = env.bool("KANSRIJK_ALLOW_TEST_BSN", default=DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
