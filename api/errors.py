"""Every error of the API as one JSON shape, in the caller's language (Swedish unless they ask
for English):

    {"detail": "Du får inte uppdatera den här milstolpen.", "code": "permission_denied"}
    {"detail": "…", "code": "invalid", "errors": {"reason": ["Ange varför datumet flyttas."]}}

The services' own refusals (Django's ValidationError and PermissionDenied, in Swedish) reach the
caller as they reach the pages: 400 and 403. An address under /api/ that matches no route is a
JSON 404 too (config/handlers.py, the site's handler404).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as rest_framework_handler

API_PREFIX = "/api/"


def _strings(value) -> list[str]:
    """REST framework's error details, nested or not, as a flat list of messages."""
    if isinstance(value, dict):
        return [message for item in value.values() for message in _strings(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _strings(item)]
    return [str(value)]


def _field_errors(data) -> dict[str, list[str]]:
    if not isinstance(data, dict):
        return {api_settings.NON_FIELD_ERRORS_KEY: _strings(data)}
    return {
        api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else str(name): _strings(
            messages
        )
        for name, messages in data.items()
    }


def _from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(_field_errors(error.message_dict))
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})


def body(detail: str, code: str, errors: dict[str, list[str]] | None = None) -> dict:
    result = {"detail": detail, "code": code}
    if errors:
        result["errors"] = errors
    return result


def exception_handler(exc, context):
    """REST framework's handler (it also rolls back the request's transaction), with the
    services' ValidationError as a 400 and every answer in the one shape above."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    response = rest_framework_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler500
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(response.data)
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        detail = " ".join(general) if general else _("Rätta uppgifterna som ”errors” nämner.")
        response.data = body(detail, "invalid", errors)
    else:
        detail = getattr(exc, "detail", None) or response.data.get("detail", "")
        code = getattr(detail, "code", None) or "error"
        response.data = body(" ".join(_strings(detail)), code)
    return response


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)
