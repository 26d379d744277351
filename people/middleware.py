"""Swedish unless the person chose otherwise (their setting or the language switch).

Django's LocaleMiddleware would follow the browser's Accept-Language, which shows an English
UI to most civil servants whose browsers are set to English; a Swedish public service
defaults to Swedish.
"""

from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()  # the thread serves the next person in their language
        response.headers.setdefault("Content-Language", language)
        return response

    def _language(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in SUPPORTED:
            return user.language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in SUPPORTED:
            return cookie
        return settings.LANGUAGE_CODE
