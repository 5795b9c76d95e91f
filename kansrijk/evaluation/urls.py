from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("uitnodigen/<int:visit_pk>/", views.invite, name="invite"),
    path("uitnodiging/<int:pk>/", views.card, name="card"),
    path("ouders/<str:token>/", views.parent, name="parent"),
    path("professionals/", views.professional, name="professional"),
    path("resultaten/", views.results_page, name="results"),
]
