from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("traject/<int:case_pk>/contact/nieuw/", views.contact_new, name="contact_new"),
    path("traject/<int:case_pk>/bezoek/plannen/", views.visit_plan, name="visit_plan"),
    path("traject/<int:case_pk>/bezoek/gehouden/", views.visit_new_held, name="visit_new_held"),
    path("traject/<int:case_pk>/inschatting/", views.assessment_current, name="assessment"),
    path("traject/<int:case_pk>/inschatting/nieuw/", views.assessment_new, name="assessment_new"),
    path("traject/<int:case_pk>/inschatting/<int:number>/", views.assessment_version, name="assessment_version"),
    path("traject/<int:case_pk>/plan/doel/nieuw/", views.goal_new, name="goal_new"),
    path("bezoek/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("bezoek/<int:pk>/verslag/", views.visit_report, name="visit_report"),
    path("bezoek/<int:pk>/verzetten/", views.visit_reschedule, name="visit_reschedule"),
    path("bezoek/<int:pk>/annuleren/", views.visit_cancel, name="visit_cancel"),
    path("doel/<int:pk>/wijzigen/", views.goal_edit, name="goal_edit"),
    path("doel/<int:pk>/bereikt/", views.goal_achieved, name="goal_achieved"),
    path("doel/<int:goal_pk>/actie/nieuw/", views.action_new, name="action_new"),
    path("actie/<int:pk>/wijzigen/", views.action_edit, name="action_edit"),
    path("actie/<int:pk>/klaar/", views.action_done, name="action_done"),
]
