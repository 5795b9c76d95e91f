"""Paging for list pages that grow with the history (a referrer's referrals, a provider's follow-ups, …).

A list that holds everything its owner ever had must not render, nor log in the audit trail, years of rows
at once: it shows one page, and the audit log records only the rows shown.
"""

from django.core.paginator import Page, Paginator

#: Rows per page of a work list.
PAGE_SIZE = 50


def page_of(request, items, per_page: int | None = None) -> Page:
    """The page the request asks for (`?page=`); the first for nonsense, the last past the end."""
    return Paginator(items, per_page or PAGE_SIZE).get_page(request.GET.get("page"))
