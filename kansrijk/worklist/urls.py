from django.urls import path

from . import views

app_name = "worklist"
urlpatterns = [
    path("", views.day, name="day"),
    path("team/", views.team_day, name="team_day"),
]
