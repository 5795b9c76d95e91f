from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Dutch unless the person chose another language with the switch (remembered in a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a Dutch care organisation's pages open in Dutch, whatever the browser says.

    The public desk speaks every language of `LANGUAGES`; the professionals' pages only
    `KANSRIJK_STAFF_LANGUAGES`. A visitor who chose Arabic on the desk and then opens the
    login page sees it in Dutch, and the desk again in Arabic.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.desk_public = False
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "desk_public", False):
            request.desk_public = True
        elif request.LANGUAGE_CODE not in settings.KANSRIJK_STAFF_LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return None
