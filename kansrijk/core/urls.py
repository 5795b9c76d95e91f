from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "core"
urlpatterns = [
    path("geen-rol/", views.no_role, name="no_role"),
    # The figures moved to /monitoring/ (issue 5); old bookmarks still arrive.
    path("gemeente/", RedirectView.as_view(pattern_name="monitoring:dashboard", query_string=True)),
]
