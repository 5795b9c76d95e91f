"""The public desk (no login) and the staff pages behind it (questions queue, page editor)."""

from django.urls import path

from . import views_pages, views_questions, views_register, views_support

app_name = "desk"
urlpatterns = [
    # Public: information
    path("balie/", views_pages.home, name="home"),
    path("informatie/<slug:slug>/", views_pages.page, name="page"),
    path("veelgestelde-vragen/", views_pages.faq, name="faq"),
    path("voor-professionals/", views_pages.professionals, name="professionals"),
    path("voor-professionals/folder/<str:language>/", views_pages.leaflet, name="leaflet"),
    path("voor-professionals/folder/<str:language>/pdf/", views_pages.leaflet_pdf, name="leaflet_pdf"),
    # Public: self-registration
    path("zelf-aanmelden/", views_register.register, name="register"),
    path("zelf-aanmelden/ontvangen/<str:token>/", views_register.register_done, name="register_done"),
    # Public: the social map
    path("hulp-zoeken/", views_support.search, name="support"),
    path("hulp-zoeken/<int:pk>/", views_support.offer, name="support_offer"),
    # Public: questions
    path("vraag-stellen/", views_questions.ask, name="ask"),
    path("vraag-stellen/ontvangen/<str:token>/", views_questions.ask_done, name="ask_done"),
    # Staff: the questions queue
    path("vraagbaak/", views_questions.queue, name="question_queue"),
    path("vraagbaak/<int:pk>/", views_questions.detail, name="question_detail"),
    # Staff: editing the desk's pages and frequently asked questions
    path("balie-beheer/", views_pages.editor, name="editor"),
    path("balie-beheer/pagina/<slug:slug>/<str:language>/", views_pages.edit_page, name="edit_page"),
    path("balie-beheer/vraag/nieuw/", views_pages.new_faq, name="new_faq"),
    path("balie-beheer/vraag/<slug:key>/<str:language>/", views_pages.edit_faq, name="edit_faq"),
]
