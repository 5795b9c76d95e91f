"""Placeholder until built (issue 4)."""

from django.http import HttpResponse


def home(request, *args, **kwargs):
    return HttpResponse(status=501)


def page(request, *args, **kwargs):
    return HttpResponse(status=501)


def faq(request, *args, **kwargs):
    return HttpResponse(status=501)


def professionals(request, *args, **kwargs):
    return HttpResponse(status=501)


def leaflet(request, *args, **kwargs):
    return HttpResponse(status=501)


def leaflet_pdf(request, *args, **kwargs):
    return HttpResponse(status=501)


def editor(request, *args, **kwargs):
    return HttpResponse(status=501)


def edit_page(request, *args, **kwargs):
    return HttpResponse(status=501)


def new_faq(request, *args, **kwargs):
    return HttpResponse(status=501)


def edit_faq(request, *args, **kwargs):
    return HttpResponse(status=501)
