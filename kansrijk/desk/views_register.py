"""Placeholder until built (issue 4)."""

from django.http import HttpResponse


def register(request, *args, **kwargs):
    return HttpResponse(status=501)


def register_done(request, *args, **kwargs):
    return HttpResponse(status=501)
