from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Dutch unless the person chose another language with the switch (remembered in a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a Dutch care organisation's pages open in Dutch, whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
