from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kansrijk.desk.public import public_page

from .navigation import start_url


@public_page
def home(request):
    """Visitors get the public desk; a logged-in professional her start page (the desk is at /balie/)."""
    if not request.user.is_authenticated:
        from kansrijk.desk.views_pages import home as desk_home

        return desk_home(request)
    return redirect(start_url(request.user))


@login_required
def start(request):
    return redirect(start_url(request.user))


@login_required
def no_role(request):
    return render(request, "core/no_role.html")
