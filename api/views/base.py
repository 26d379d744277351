"""What every endpoint shares: the caller's language, pagination, the JSON error shape."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import generics, views

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def asked_language(request) -> str | None:
    """The supported language the Accept-Language header prefers, if it names one.

    The pages ignore the header (a Swedish public service defaults to Swedish, whatever the
    browser says); an API client that sends it asks for that language on purpose.
    """
    choices = []
    for position, part in enumerate(request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            name, _eq, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        language = tag.lower().split("-")[0]
        if language in SUPPORTED and weight > 0:
            choices.append((-weight, position, language))
    return min(choices)[2] if choices else None


class InLanguage:
    """Answers (errors included) in the language the caller asks for with Accept-Language;
    else in the person's own choice (Inställningar); else as the site (Swedish)."""

    def initial(self, request, *args, **kwargs):
        asked = asked_language(request)
        if asked:
            translation.activate(asked)  # before authentication, whose refusal is an answer too
        super().initial(request, *args, **kwargs)
        user = request.user
        if not asked and user.is_authenticated and user.language in SUPPORTED:
            translation.activate(user.language)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        return response


class ApiView(InLanguage, views.APIView):
    pass


class ListView(InLanguage, generics.ListAPIView):
    pass
