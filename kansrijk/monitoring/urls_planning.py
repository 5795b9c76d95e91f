"""The capacity and budget planner (/monitoring/planning/)."""

from django.urls import path

from . import views_planning as views

urlpatterns = [
    path("", views.planner_list, name="planner"),
    path("<str:code>/<int:year>/", views.plan_detail, name="plan"),
    path("<str:code>/<int:year>/wijzigen/", views.plan_edit, name="plan_edit"),
]
