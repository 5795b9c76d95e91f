from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts import views as account_views
from kansrijk.core import views as core_views

admin.site.site_header = _("Kansrijk administration")
admin.site.site_title = "Kansrijk"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("start/", core_views.start, name="start"),
    path("accounts/2fa/", account_views.two_factor, name="two_factor"),
    path("accounts/2fa/instellen/", account_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("", include("kansrijk.core.urls")),
    path("", include("kansrijk.desk.urls")),
    path("aanmeldingen/", include("kansrijk.referrals.urls")),
    path("trajecten/", include("kansrijk.cases.urls")),
    path("audit/", include("kansrijk.audit.urls")),
    path("sociale-kaart/", include("kansrijk.socialmap.urls")),
    path("zorg/", include("kansrijk.care.urls")),
    path("vervolg/", include("kansrijk.followup.urls")),
    path("terugkoppeling/", include("kansrijk.feedback.urls")),
    path("vandaag/", include("kansrijk.worklist.urls")),
    path("monitoring/", include("kansrijk.monitoring.urls")),
    path("afspraken/", include("kansrijk.agreements.urls")),
    path("evaluatie/", include("kansrijk.evaluation.urls")),
]
