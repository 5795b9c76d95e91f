"""Placeholder until built (issue 4)."""

from django.http import HttpResponse


def ask(request, *args, **kwargs):
    return HttpResponse(status=501)


def ask_done(request, *args, **kwargs):
    return HttpResponse(status=501)


def queue(request, *args, **kwargs):
    return HttpResponse(status=501)


def detail(request, *args, **kwargs):
    return HttpResponse(status=501)
