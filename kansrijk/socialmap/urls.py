from django.urls import path

from . import views

app_name = "socialmap"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("nieuw/", views.offer_new, name="new"),
    path("<int:pk>/wijzigen/", views.offer_edit, name="edit"),
    path("<int:pk>/gecontroleerd/", views.offer_mark_checked, name="mark_checked"),
    path("<int:pk>/actief/", views.offer_set_active, name="set_active"),
    path("beheer/", views.manage, name="manage"),
    path("te-controleren/", views.to_check, name="to_check"),
    path("importeren/", views.import_offers, name="import"),
    path("exporteren/csv/", views.export_offers, {"fmt": "csv"}, name="export_csv"),
    path("exporteren/xlsx/", views.export_offers, {"fmt": "xlsx"}, name="export_xlsx"),
]
