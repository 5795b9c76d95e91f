from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("traject/<int:pk>/opstellen/", views.draft, name="draft"),
    path("traject/<int:pk>/<int:feedback_pk>/", views.edit, name="edit"),
    path("traject/<int:pk>/geboorte/", views.birth, name="birth"),
    path("traject/<int:pk>/overdracht/", views.handover, name="handover"),
    path("traject/<int:pk>/overdracht.pdf", views.handover_pdf, name="handover_pdf"),
]
