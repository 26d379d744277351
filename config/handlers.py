"""The site's 404 and 500: JSON in the API's one shape under /api/, our pages elsewhere."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from api.errors import body, is_api


def page_not_found(request, exception):
    """The site's 404: JSON under /api/, our page elsewhere."""
    if is_api(request):
        return JsonResponse(body(_("Hittades inte."), "not_found"), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The site's 500: JSON under /api/, Django's page elsewhere."""
    if is_api(request):
        return JsonResponse(
            body(_("Ett fel uppstod på servern. Försök igen om en stund."), "server_error"),
            status=500,
        )
    return defaults.server_error(request)
