from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("geen-rol/", views.no_role, name="no_role"),
    path("gemeente/", views.municipality_figures, name="municipality"),
]
