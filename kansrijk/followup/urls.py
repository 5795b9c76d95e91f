from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("aanbieder/", views.provider_list, name="provider_list"),
    path("aanbieder/<int:pk>/", views.provider_detail, name="provider_detail"),
    path("traject/<int:case_pk>/aanbod/", views.pick_offer, name="pick"),
    path("traject/<int:case_pk>/aanbod/verwijzen/", views.refer, name="refer"),
    path("traject/<int:case_pk>/lacune/", views.gap_new, name="gap_new"),
    path("traject/<int:case_pk>/<int:pk>/", views.detail, name="detail"),
    path("traject/<int:case_pk>/<int:pk>/verzenden/", views.send, name="send"),
    path("traject/<int:case_pk>/<int:pk>/status/", views.change, name="change"),
]
