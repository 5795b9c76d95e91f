"""The figures pages, exports and the yearly report."""

from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regio/", views.region, name="region"),
    path("export/<slug:key>.<str:fmt>", views.export, name="export"),
    path("jaarrapport/", views.report, name="report"),
    path("definities/", views.definitions, name="definitions"),
]
