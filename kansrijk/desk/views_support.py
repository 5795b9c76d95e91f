"""Placeholder until built (issue 4)."""

from django.http import HttpResponse


def search(request, *args, **kwargs):
    return HttpResponse(status=501)


def offer(request, *args, **kwargs):
    return HttpResponse(status=501)
