from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nieuw/", views.agreement_new, name="new"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.agreement_edit, name="edit"),
    path("<int:pk>/evaluatie/", views.agreement_evaluate, name="evaluate"),
]
