from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("intake/", views.intake_queue, name="intake"),
    path("mijn/", views.my_cases, name="mine"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/actie/<slug:name>/", views.case_action, name="action"),
    path("team/", views.team_cases, name="team"),
    path("<int:pk>/doorzetten/", views.case_route_view, name="route"),
    path("<int:pk>/andere-verpleegkundige/", views.case_reassign_view, name="reassign"),
]
