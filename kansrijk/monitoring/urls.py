"""Monitoring: figures per municipality and region, exports, the yearly report and the capacity planner."""

from django.urls import include, path

app_name = "monitoring"
urlpatterns = [
    path("", include("kansrijk.monitoring.urls_dashboard")),
    path("planning/", include("kansrijk.monitoring.urls_planning")),
]
