from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("nieuw/", views.referral_new, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
]
